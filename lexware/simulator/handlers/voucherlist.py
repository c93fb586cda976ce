"""GET /v1/voucherlist (§5.22): metadata of sales and bookkeeping vouchers, filtered and paged.

Speed: the portal pages through 100,000 vouchers at 2 req/s. Each tenant gets an index of
precomputed sort/filter keys (rebuilt only for vouchers whose version/status changed) and an
LRU of sorted id lists per (filters, sort, CET day); a page then costs one list slice plus
≤ 250 row renderings. The cache is invalidated by the sales revision counter
(`ledger.bump_revision`) and a fingerprint of the bookkeeping vouchers.
"""

from __future__ import annotations

import html
import logging
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from lexware.simulator.errors import SimError, regular
from lexware.simulator.ledger import REVISION_KEY, effective_status, open_amount
from lexware.simulator.paging import paginate
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.sales_address import contact_name
from lexware.simulator.state import Tenant
from lexware.simulator.timefmt import BERLIN, berlin_date, parse_date

LOG = logging.getLogger("lexware.simulator.voucherlist")

VOUCHER_TYPES = (
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
)
VOUCHER_STATUSES = (
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
)
SORT_PROPERTIES = {
    "voucherdate": "voucherDate",
    "vouchernumber": "voucherNumber",
    "createddate": "createdDate",
    "updateddate": "updatedDate",
}
DATE_FILTERS = ("voucherDate", "createdDate", "updatedDate")
CACHED_QUERIES = 32


class Meta(NamedTuple):
    """What filtering and sorting need of one voucher, computed once per voucher version."""

    id: str
    kind: str
    status: str
    number: str | None
    voucher_ts: float
    created_ts: float
    updated_ts: float
    due: date | None
    contact_id: str | None
    archived: bool


@dataclass
class _TenantIndex:
    signature: tuple[Any, ...] = ()
    metas: dict[str, tuple[tuple[Any, ...], Meta]] = field(default_factory=dict)
    results: OrderedDict[tuple[Any, ...], list[str]] = field(default_factory=OrderedDict)


_INDEXES: dict[int, _TenantIndex] = {}
_INDEX_LOCK = threading.Lock()


def _timestamp(value: Any) -> float:
    if not isinstance(value, str):
        return 0.0
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _due(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return berlin_date(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _meta(voucher: dict[str, Any], sales: bool) -> Meta:
    if sales:
        kind, contact = str(voucher["_type"]), (voucher.get("address") or {}).get("contactId")
    else:
        kind, contact = str(voucher.get("type")), voucher.get("contactId")
    return Meta(
        id=str(voucher["id"]),
        kind=kind,
        status=str(voucher.get("voucherStatus")),
        number=voucher.get("voucherNumber"),
        voucher_ts=_timestamp(voucher.get("voucherDate")),
        created_ts=_timestamp(voucher.get("createdDate")),
        updated_ts=_timestamp(voucher.get("updatedDate")),
        due=_due(voucher.get("dueDate")),
        contact_id=str(contact) if contact else None,
        archived=bool(voucher.get("archived")),
    )


def _stamp(voucher: dict[str, Any]) -> tuple[Any, ...]:
    return (
        id(voucher),
        voucher.get("version"),
        voucher.get("voucherStatus"),
        voucher.get("updatedDate"),
        voucher.get("archived"),
        voucher.get("voucherNumber"),
    )


def _signature(tenant: Tenant) -> tuple[Any, ...]:
    # Bookkeeping vouchers are changed by the core's handlers, which do not bump our revision.
    fingerprint = sum(hash(_stamp(v)) for v in tenant.vouchers.values())
    return (
        tenant.counters.get(REVISION_KEY, 0),
        len(tenant.sales),
        len(tenant.vouchers),
        fingerprint,
    )


def _index(tenant: Tenant) -> _TenantIndex:
    key = id(tenant)
    with _INDEX_LOCK:
        index = _INDEXES.get(key)
        if index is None:
            index = _INDEXES[key] = _TenantIndex()
            weakref.finalize(tenant, _INDEXES.pop, key, None)
    signature = _signature(tenant)
    if signature != index.signature:
        metas: dict[str, tuple[tuple[Any, ...], Meta]] = {}
        for source, is_sales in ((tenant.sales, True), (tenant.vouchers, False)):
            for voucher_id, voucher in source.items():
                if is_sales and voucher.get("_type") == "dunning":
                    continue  # §5.10: dunnings are not in the voucher list
                stamp = _stamp(voucher)
                cached = index.metas.get(voucher_id)
                metas[voucher_id] = (
                    cached if cached and cached[0] == stamp else (stamp, _meta(voucher, is_sales))
                )
        index.metas, index.signature = metas, signature
        index.results.clear()
    return index


@dataclass(frozen=True)
class Query:
    types: frozenset[str] | None  # None = any
    statuses: frozenset[str] | None
    archived: bool | None
    contact_id: str | None
    number: str | None
    ranges: tuple[tuple[str, float | None, float | None], ...]
    sort: str
    descending: bool


def _bad_value(ctx: Context, req: Request, name: str, value: str) -> SimError:
    return regular(
        400, req, f"Invalid value '{value}' received for request parameter '{name}'", now=ctx.now()
    )


def _list_param(
    ctx: Context, req: Request, name: str, vocabulary: tuple[str, ...]
) -> frozenset[str] | None:
    raw = req.param(name)
    if raw is None or raw.strip() == "":
        raise regular(
            400,
            req,
            f"Required request parameter '{name}' for method parameter type String is not present",
            now=ctx.now(),
        )
    values = [part.strip() for part in raw.split(",")]
    if any(value == "" for value in values):
        raise regular(
            500, req, "Internal Server Error", now=ctx.now()
        )  # observed: `open,,paid` → 500
    for value in values:
        if value != "any" and value not in vocabulary:
            raise _bad_value(ctx, req, name, value)
    if "any" in values:
        if len(values) > 1:
            raise regular(
                400,
                req,
                f"Value 'any' of request parameter '{name}' cannot be combined",
                now=ctx.now(),
            )
        return None
    if name == "voucherStatus" and "overdue" in values and len(set(values)) > 1:
        raise regular(
            400,
            req,
            "Value 'overdue' of request parameter 'voucherStatus' cannot be combined",
            now=ctx.now(),
        )
    return frozenset(values)


def _day_start(day: date) -> float:
    return datetime.combine(day, time.min, tzinfo=BERLIN).timestamp()


def parse_query(ctx: Context, req: Request) -> Query:
    types = _list_param(ctx, req, "voucherType", VOUCHER_TYPES)
    statuses = _list_param(ctx, req, "voucherStatus", VOUCHER_STATUSES)
    archived = None
    if req.param("archived") is not None:
        value = str(req.param("archived")).strip().lower()
        if value not in {"true", "false"}:
            raise _bad_value(ctx, req, "archived", value)
        archived = value == "true"
    ranges = []
    for prop in DATE_FILTERS:
        bounds: list[float | None] = []
        for suffix in ("From", "To"):
            raw = req.param(prop + suffix)
            if raw is None or raw == "":
                bounds.append(None)
                continue
            try:
                day = parse_date(raw.strip())  # §5.22: yyyy-MM-dd only; a full datetime → 400
            except ValueError:
                raise _bad_value(ctx, req, prop + suffix, raw) from None
            # Whole CET/CEST days; `…To` is inclusive (11.08.2026 fix) → exclusive next midnight.
            bounds.append(_day_start(day if suffix == "From" else day + timedelta(days=1)))
        if bounds != [None, None]:
            ranges.append((prop, bounds[0], bounds[1]))
    sort, descending = "voucherdate", True  # no sort → newest first (§4)
    raw_sort = req.param("sort")
    if raw_sort:
        prop, _, direction = (part.strip() for part in raw_sort.partition(","))
        if prop.lower() not in SORT_PROPERTIES:
            raise _bad_value(ctx, req, "sort", raw_sort)
        if direction.upper() not in {"", "ASC", "DESC"}:
            raise _bad_value(ctx, req, "sort", raw_sort)
        sort, descending = (
            prop.lower(),
            direction.upper() == "DESC",
        )  # no direction → ascending (§4)
        if sort != "voucherdate":
            # Appendix B conflict: benethos measured only `voucherDate` accepted ("parameter 'sort'
            # is invalid"); Appendix A lists four fields. We accept the four and warn.
            LOG.warning(
                "voucherlist sort=%s: the live API may accept only voucherDate (Appendix B)",
                raw_sort,
            )
    number = req.param("voucherNumber")
    return Query(
        types=types,
        statuses=statuses,
        archived=archived,
        contact_id=(req.param("contactId") or "").strip() or None,
        number=html.unescape(number) if number else None,
        ranges=tuple(ranges),
        sort=sort,
        descending=descending,
    )


def _matches(meta: Meta, query: Query, today: date) -> bool:
    if query.types is not None and meta.kind not in query.types:
        return False
    if query.statuses is not None:
        overdue = meta.status in {"open", "sepadebit"} and meta.due is not None and today > meta.due
        shown = "overdue" if overdue else meta.status
        # §5.22: `open`/`sepadebit` also find rows that are shown as `overdue`.
        if shown not in query.statuses and not (overdue and meta.status in query.statuses):
            return False
    if query.archived is not None and meta.archived != query.archived:
        return False
    if query.contact_id is not None and meta.contact_id != query.contact_id:
        return False
    if query.number is not None and meta.number != query.number:
        return False
    for prop, start, end in query.ranges:
        value = (
            meta.voucher_ts
            if prop == "voucherDate"
            else meta.created_ts
            if prop == "createdDate"
            else meta.updated_ts
        )
        if (start is not None and value < start) or (end is not None and value >= end):
            return False
    return True


def _sort_key(sort: str) -> Any:
    if sort == "vouchernumber":
        return lambda m: (m.number is not None, m.number or "", m.created_ts, m.id)
    attribute = {
        "voucherdate": "voucher_ts",
        "createddate": "created_ts",
        "updateddate": "updated_ts",
    }[sort]
    return lambda m: (getattr(m, attribute), m.created_ts, m.id)


def matching_ids(tenant: Tenant, query: Query, now: datetime) -> list[str]:
    today = berlin_date(now)
    with tenant.lock:
        index = _index(tenant)
        key = (query, today)
        ids = index.results.get(key)
        if ids is not None:
            index.results.move_to_end(key)
            return ids
        metas = [meta for _, meta in index.metas.values() if _matches(meta, query, today)]
        metas.sort(key=_sort_key(query.sort), reverse=query.descending)
        ids = [meta.id for meta in metas]
        index.results[key] = ids
        if len(index.results) > CACHED_QUERIES:
            index.results.popitem(last=False)
        return ids


def row(tenant: Tenant, voucher_id: str, now: datetime) -> dict[str, Any]:
    """One §5.22 row."""
    sale = tenant.sales.get(voucher_id)
    if sale is not None:
        address = sale.get("address") or {}
        total = (sale.get("totalPrice") or {}).get("totalGrossAmount")
        kind, voucher, contact_id, name = (
            sale["_type"],
            sale,
            address.get("contactId"),
            address.get("name"),
        )
    else:
        voucher = tenant.vouchers[voucher_id]
        kind, contact_id, total = (
            voucher.get("type"),
            voucher.get("contactId"),
            voucher.get("totalGrossAmount"),
        )
        contact = tenant.contacts.get(str(contact_id)) if contact_id else None
        name = contact_name(contact) if contact else voucher.get("contactName")
    return {
        "id": voucher_id,
        "voucherType": kind,
        "voucherStatus": effective_status(tenant, voucher, now),
        "voucherNumber": voucher.get("voucherNumber"),
        "voucherDate": voucher.get("voucherDate"),
        "createdDate": voucher.get("createdDate"),
        "updatedDate": voucher.get("updatedDate"),
        "dueDate": voucher.get("dueDate"),
        "contactId": contact_id,
        "contactName": name,
        "totalAmount": total,
        "openAmount": open_amount(tenant, voucher),
        "currency": "EUR",
        "archived": bool(voucher.get("archived")),
    }


@router.route("GET", "/v1/voucherlist", family="regular")
def voucherlist(ctx: Context, req: Request) -> Response:
    query = parse_query(ctx, req)
    now = ctx.now()
    ids = matching_ids(ctx.tenant, query, now)
    tenant = ctx.tenant
    return paginate(
        req,
        ids,
        max_size=250,
        family="regular",
        size_error="parameter 'size' must be equal or lower than 250",  # Appendix B
        sort=[(query.sort, "DESC" if query.descending else "ASC")],
        transform=lambda voucher_id: row(tenant, voucher_id, now),
    )
