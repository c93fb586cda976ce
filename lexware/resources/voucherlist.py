"""``client.voucherlist`` (§5.22): list and iter_all with every filter.

The filter rules are checked before anything is sent, because Lexware answers mistakes with
400 (unknown values, full datetimes) or even 500 (an empty list element): ``voucherType`` and
``voucherStatus`` are required; ``any`` cannot be combined; ``overdue`` only alone; date filters
are plain ``yyyy-MM-dd`` dates; a sort always carries its direction (without one, Lexware sorts
ascending, §4).

One query never sees more than 10,000 rows (§4). :meth:`Voucherlist.iter_all` therefore walks
date windows: when a window reports the capped total it is split in two halves by day
(``createdDate`` by default, a field every row has) until each half fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from lexware._http import ParamValue
from lexware.encoding import html_escape_search
from lexware.errors import InvalidRequestError, LexwareError
from lexware.models import Page, VoucherlistItem
from lexware.pagination import MAX_PAGE_SIZE, SEARCH_WINDOW, check_page_args, page_is_last
from lexware.resources._base import Resource, require_id

VOUCHER_TYPES = frozenset(
    {
        "salesinvoice",
        "salescreditnote",
        "purchaseinvoice",
        "purchasecreditnote",
        "invoice",
        "downpaymentinvoice",
        "creditnote",
        "orderconfirmation",
        "quotation",
        "deliverynote",
    }
)
VOUCHER_STATUSES = frozenset(
    {
        "draft",
        "open",
        "paid",
        "paidoff",
        "voided",
        "transferred",
        "sepadebit",
        "overdue",
        "accepted",
        "rejected",
        "unchecked",
        "blank",
    }
)
SORT_FIELDS = ("voucherDate", "voucherNumber", "createdDate", "updatedDate")
SPLIT_FIELDS = ("createdDate", "voucherDate", "updatedDate")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DateArg = date | str | None
Values = str | Sequence[str]


def _values(name: str, value: Values, allowed: frozenset[str]) -> str:
    items = value.split(",") if isinstance(value, str) else list(value)
    cleaned = [str(item).strip() for item in items]
    if not cleaned or any(not item for item in cleaned):
        # "open,,paid" is answered with 500 by Lexware (§5.22).
        raise InvalidRequestError(f"{name} must not contain empty values")
    if "any" in cleaned and len(cleaned) > 1:
        raise InvalidRequestError(f"{name}: 'any' cannot be combined with other values")
    unknown = sorted(set(cleaned) - allowed - {"any"})
    if unknown:
        raise InvalidRequestError(f"{name}: unknown value(s) {', '.join(unknown)}")
    if "overdue" in cleaned and len(cleaned) > 1:
        raise InvalidRequestError(f"{name}: 'overdue' can only be used alone")
    return ",".join(cleaned)


def _date(name: str, value: DateArg) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        raise InvalidRequestError(f"{name} takes a date (yyyy-MM-dd), not a datetime")
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidRequestError(f"{name} must be yyyy-MM-dd, got {value!r}")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise InvalidRequestError(f"{name} is not a valid date: {value!r}") from None
    return value


def _sort(value: str | None) -> str | None:
    if value is None:
        return None
    field, _, direction = value.partition(",")
    if field not in SORT_FIELDS:
        raise InvalidRequestError(f"sort must be one of {SORT_FIELDS}")
    if direction.upper() not in ("ASC", "DESC"):
        raise InvalidRequestError("sort needs a direction (ASC or DESC), e.g. 'voucherDate,DESC'")
    return f"{field},{direction.upper()}"


class Voucherlist(Resource):
    name = "voucherlist"
    path = "/v1/voucherlist"

    @staticmethod
    def build_params(
        *,
        voucher_type: Values,
        voucher_status: Values,
        archived: bool | None = None,
        contact_id: str | None = None,
        voucher_date_from: DateArg = None,
        voucher_date_to: DateArg = None,
        created_date_from: DateArg = None,
        created_date_to: DateArg = None,
        updated_date_from: DateArg = None,
        updated_date_to: DateArg = None,
        voucher_number: str | None = None,
        sort: str | None = None,
    ) -> dict[str, ParamValue]:
        """The query of §5.22 in API names, validated. Raises InvalidRequestError."""
        return {
            "voucherType": _values("voucher_type", voucher_type, VOUCHER_TYPES),
            "voucherStatus": _values("voucher_status", voucher_status, VOUCHER_STATUSES),
            "archived": archived,
            "contactId": None if contact_id is None else require_id(contact_id, "contact_id"),
            "voucherDateFrom": _date("voucher_date_from", voucher_date_from),
            "voucherDateTo": _date("voucher_date_to", voucher_date_to),
            "createdDateFrom": _date("created_date_from", created_date_from),
            "createdDateTo": _date("created_date_to", created_date_to),
            "updatedDateFrom": _date("updated_date_from", updated_date_from),
            "updatedDateTo": _date("updated_date_to", updated_date_to),
            # §1.3: the voucher number filter is HTML-escaped, then URL-encoded.
            "voucherNumber": None if voucher_number is None else html_escape_search(voucher_number),
            "sort": _sort(sort),
        }

    def list(
        self,
        *,
        voucher_type: Values,
        voucher_status: Values,
        page: int = 0,
        size: int = 25,
        **filters: Any,
    ) -> Page[VoucherlistItem]:
        """One page. ``filters``: archived, contact_id, voucher_date_from/_to,
        created_date_from/_to, updated_date_from/_to, voucher_number, sort."""
        payload = self.list_payload(
            voucher_type=voucher_type,
            voucher_status=voucher_status,
            page=page,
            size=size,
            **filters,
        )
        return Page[VoucherlistItem].model_validate(payload)

    def list_payload(
        self,
        *,
        voucher_type: Values,
        voucher_status: Values,
        page: int = 0,
        size: int = 25,
        **filters: Any,
    ) -> dict[str, Any]:
        """One page as Lexware's JSON envelope (``content`` rows as dicts), with the same checked
        query as ``list``. For consumers that keep the rows as they came, such as a mirror
        writing 250 rows a page: building and dumping 250 models costs more than the write."""
        check_page_args(page, size)
        if (page + 1) * size > SEARCH_WINDOW:
            raise InvalidRequestError("beyond the 10,000-row search window; narrow by dates")
        params = self.build_params(
            voucher_type=voucher_type, voucher_status=voucher_status, **filters
        )
        params.update(page=page, size=size)
        payload = self._get_json(self.path, params=params)
        if not isinstance(payload, dict):
            raise LexwareError(
                f"the voucherlist answered with {type(payload).__name__}, not a page"
            )
        return payload

    def iter_all(
        self,
        *,
        voucher_type: Values,
        voucher_status: Values,
        split_by: str = "createdDate",
        size: int = MAX_PAGE_SIZE,
        **filters: Any,
    ) -> Iterator[VoucherlistItem]:
        """Every matching row, even beyond 10,000: windows on ``split_by`` are halved until
        each fits the search window. Rows are sorted by ``split_by`` ascending per window."""
        check_page_args(0, size)
        if split_by not in SPLIT_FIELDS:
            raise InvalidRequestError(f"split_by must be one of {SPLIT_FIELDS}")
        filters.pop("sort", None)
        params = self.build_params(
            voucher_type=voucher_type, voucher_status=voucher_status, **filters
        )
        params["sort"] = f"{split_by},ASC"
        low, high = params.get(f"{split_by}From"), params.get(f"{split_by}To")
        seen: set[str] = set()
        for row in self._walk_window(params, split_by, size, low, high):
            row_id = row.get("id") if isinstance(row, dict) else None
            if isinstance(row_id, str):
                if row_id in seen:
                    continue
                seen.add(row_id)
            yield VoucherlistItem.model_validate(row)

    def _fetch(self, params: dict[str, ParamValue], page: int, size: int) -> dict[str, Any]:
        payload = self._get_json(self.path, params={**params, "page": page, "size": size})
        return payload if isinstance(payload, dict) else {"content": []}

    def _walk_window(
        self,
        params: dict[str, ParamValue],
        field: str,
        size: int,
        low: Any,
        high: Any,
    ) -> Iterator[Any]:
        window = {**params, f"{field}From": low, f"{field}To": high}
        first = self._fetch(window, 0, size)
        total = first.get("totalElements")
        if not isinstance(total, int) or total < SEARCH_WINDOW:
            yield from self._pages(window, first, size)
            return
        # Capped total: the window holds 10,000 rows or more. Split it by day.
        first_rows = first.get("content") or []
        low_day = _day(low) or (_row_day(first_rows[0], field) if first_rows else None)
        high_day = _day(high) or self._last_day(window, field)
        if low_day is None or high_day is None:
            raise LexwareError(f"cannot determine the {field} range to split the voucherlist")
        if low_day >= high_day:
            raise LexwareError(
                f"more than {SEARCH_WINDOW} vouchers on {low_day.isoformat()} ({field}); "
                "the voucherlist cannot be split further"
            )
        middle = low_day + (high_day - low_day) // 2
        yield from self._walk_window(params, field, size, low_day.isoformat(), middle.isoformat())
        upper_low = (middle + timedelta(days=1)).isoformat()
        yield from self._walk_window(params, field, size, upper_low, high_day.isoformat())

    def _pages(
        self, window: dict[str, ParamValue], first: dict[str, Any], size: int
    ) -> Iterator[Any]:
        payload, page = first, 0
        while True:
            yield from payload.get("content") or []
            if page_is_last(payload) or (page + 2) * size > SEARCH_WINDOW:
                return
            page += 1
            payload = self._fetch(window, page, size)

    def _last_day(self, window: dict[str, ParamValue], field: str) -> date | None:
        payload = self._fetch({**window, "sort": f"{field},DESC"}, 0, 1)
        rows = payload.get("content") or []
        return _row_day(rows[0], field) if rows else None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _row_day(row: Any, field: str) -> date | None:
    """The calendar day of a row's timestamp as Lexware printed it (organisation local time,
    the same days the date filters use)."""
    value = row.get(field) if isinstance(row, dict) else None
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
