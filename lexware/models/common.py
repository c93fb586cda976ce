"""Building blocks shared by every Lexware model: the base class, the date and amount types,
the action result (lexware-api.md §1.4) and the paging envelope (§4).

Why custom types instead of plain `datetime`/`Decimal`:

* Lexware rejects timestamps that are not exactly `yyyy-MM-ddTHH:mm:ss.SSSXXX` (§8.1, §9), while
  pydantic's default output has 0 or 6 fraction digits. `LexwareDateTime` always writes three.
* pydantic dumps `Decimal` as a JSON *string* in JSON mode; Lexware wants JSON numbers (§8.2).
  The amount types below keep `Decimal` in Python (no float drift in sums) and turn into numbers
  only at the wire, rounded to the number of decimals Lexware accepts for that field.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

__all__ = [
    "BERLIN",
    "ActionResult",
    "LexwareDate",
    "LexwareDateTime",
    "LexwareModel",
    "Money",
    "Page",
    "PageSort",
    "Percentage",
    "Quantity",
    "UnitAmount",
    "format_lexware_date",
    "format_lexware_datetime",
    "parse_lexware_date",
    "parse_lexware_datetime",
    "parse_lexware_decimal",
]

# Lexware's organisation-local zone; the API documents day boundaries in CET/CEST (§8.1, §5.22).
BERLIN = ZoneInfo("Europe/Berlin")


class LexwareModel(BaseModel):
    """Base of all API models: camelCase on the wire, snake_case in Python.

    `extra="allow"` keeps fields this code does not know yet (API drift) so that a GET → PUT
    cycle (§3: PUT is a full replacement) never silently drops data Lexware added later.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        # Decimal/datetime values assigned after construction are validated (and coerced) too.
        validate_assignment=True,
    )

    def to_api(self) -> dict[str, Any]:
        """The JSON body Lexware expects: camelCase keys, no nulls, numbers as numbers.

        Read-only fields left at None are dropped, so a request body can be built from the same
        model that parses responses. The result is plain JSON data (`json.dumps`-able).
        """
        result: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return result


# --------------------------------------------------------------------------- timestamps (§8.1)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_aware(value: datetime) -> datetime:
    # Lexware's wall clock is Berlin time; a naive value without zone means that.
    return value if value.tzinfo is not None else value.replace(tzinfo=BERLIN)


def parse_lexware_datetime(value: Any) -> Any:
    """Lenient parser: Lexware timestamps, any ISO 8601 string, `yyyy-MM-dd` (Berlin midnight)
    or a `datetime`. Always returns an aware datetime; anything else is left to pydantic to reject.
    """
    if isinstance(value, datetime):
        return _as_aware(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=BERLIN)
    if isinstance(value, str):
        text = value.strip()
        try:
            # Python 3.11's fromisoformat reads "Z", any fraction length and "+hh:mm".
            return _as_aware(datetime.fromisoformat(text))
        except ValueError:
            return value  # pydantic produces the validation error
    return value


def _whole_minute_offset(offset: timedelta) -> bool:
    return offset.total_seconds() % 60 == 0


def format_lexware_datetime(value: datetime) -> str:
    """`yyyy-MM-ddTHH:mm:ss.SSSXXX`: exactly three millisecond digits (truncated, like Java's
    formatter), `Z` for UTC, `±hh:mm` otherwise. Naive values are taken as Europe/Berlin.

    An aware value keeps its own offset, so a parsed Lexware timestamp is written back unchanged.
    Offsets that are not whole minutes (historic local mean time, e.g. Berlin before 1893) cannot
    be written as `±hh:mm`; such values are converted to UTC.
    """
    value = _as_aware(value)
    offset = value.utcoffset() or timedelta(0)
    if not _whole_minute_offset(offset):
        try:
            value = value.astimezone(UTC)
            offset = timedelta(0)
        except OverflowError:
            # Only reachable at the edges of year 1 / 9999: keep the wall clock, drop the seconds.
            offset = timedelta(minutes=int(offset.total_seconds() // 60))
    wall = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}"
    )
    if offset == timedelta(0):
        return wall + "Z"
    sign = "+" if offset > timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{wall}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


LexwareDateTime = Annotated[
    datetime,
    BeforeValidator(parse_lexware_datetime),
    PlainSerializer(format_lexware_datetime, return_type=str, when_used="json"),
]
"""A timestamp as Lexware writes and demands it (§8.1); always timezone-aware after parsing."""


# --------------------------------------------------------------------------- plain dates (§8.1)


def parse_lexware_date(value: Any) -> Any:
    """`yyyy-MM-dd`, or a full timestamp (bookkeeping vouchers send dates but get timestamps back,
    §5.23): the timestamp's calendar day in Berlin, Lexware's business day."""
    if isinstance(value, datetime):
        return value.astimezone(BERLIN).date() if value.tzinfo is not None else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            return text
        parsed = parse_lexware_datetime(text)
        if isinstance(parsed, datetime):
            return parsed.astimezone(BERLIN).date()
    return value


def format_lexware_date(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


LexwareDate = Annotated[
    date,
    BeforeValidator(parse_lexware_date),
    PlainSerializer(format_lexware_date, return_type=str, when_used="json"),
]
"""A calendar day, written as `yyyy-MM-dd`; also accepts timestamps on input."""


# --------------------------------------------------------------------------- amounts (§8.2)


def parse_lexware_decimal(value: Any) -> Any:
    """Amounts arrive as JSON numbers, occasionally as strings (§8.2, payments' openAmount).

    Floats go through `repr`, the shortest text that reads back to the same float, so 4.99
    becomes Decimal("4.99") rather than 4.9900000000000002131628…
    """
    if isinstance(value, bool):
        return value  # True is an int in Python but never an amount; let pydantic reject it
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def _json_number(decimals: int) -> Any:
    exponent = Decimal(1).scaleb(-decimals)

    def serialize(value: Decimal) -> int | float:
        # Round to what Lexware accepts for the field (HALF_UP like commercial rounding), then
        # emit an int for whole values and a float otherwise. Floats with at most 4 decimals and
        # < 15 significant digits print back exactly (repr is shortest round-trip), so no drift.
        rounded = value.quantize(exponent, rounding=ROUND_HALF_UP)
        if rounded == rounded.to_integral_value():
            return int(rounded)
        return float(rounded)

    return serialize


# Each type written out in full (not built by a factory) so that mypy sees a real type.
Money = Annotated[
    Decimal,
    BeforeValidator(parse_lexware_decimal),
    Field(allow_inf_nan=False),
    PlainSerializer(_json_number(2), return_type=int | float, when_used="json"),
]
"""Totals, line amounts, tax amounts, bookkeeping amounts: 2 decimals on the wire."""

UnitAmount = Annotated[
    Decimal,
    BeforeValidator(parse_lexware_decimal),
    Field(allow_inf_nan=False),
    PlainSerializer(_json_number(4), return_type=int | float, when_used="json"),
]
"""Unit prices (`unitPrice.netAmount/grossAmount`, article prices): up to 4 decimals."""

Quantity = Annotated[
    Decimal,
    BeforeValidator(parse_lexware_decimal),
    Field(allow_inf_nan=False),
    PlainSerializer(_json_number(4), return_type=int | float, when_used="json"),
]
"""Line item quantities: up to 4 decimals."""

Percentage = Annotated[
    Decimal,
    BeforeValidator(parse_lexware_decimal),
    Field(allow_inf_nan=False),
    PlainSerializer(_json_number(2), return_type=int | float, when_used="json"),
]
"""Tax rates and discount percentages: up to 2 decimals."""


# --------------------------------------------------------------------------- responses


class ActionResult(LexwareModel):
    """Answer of POST/PUT on versioned resources (§1.4); `version` is not reliably 0 or 1."""

    id: str
    resource_uri: str | None = None
    created_date: LexwareDateTime | None = None
    updated_date: LexwareDateTime | None = None
    version: int | None = None


class PageSort(LexwareModel):
    """One `sort` entry of a page (§4). All optional: the shape is Spring's and may drift."""

    property: str | None = None
    direction: str | None = None
    ignore_case: bool | None = None
    null_handling: str | None = None
    ascending: bool | None = None


ItemT = TypeVar("ItemT")


class Page(LexwareModel, Generic[ItemT]):
    """The paging envelope of articles, contacts, recurring templates, voucherlist and the
    deprecated voucher search (§4). `number` is 0-based; `sort` is absent in some answers."""

    content: list[ItemT] = Field(default_factory=list)
    first: bool | None = None
    last: bool | None = None
    total_pages: int | None = None
    total_elements: int | None = None
    number_of_elements: int | None = None
    size: int | None = None
    number: int | None = None
    # A list of orders in every documented sample; older Spring versions wrote one object.
    sort: list[PageSort] | PageSort | None = Field(default=None, union_mode="left_to_right")

    @property
    def is_last(self) -> bool:
        """True when no further page should be requested (robust if `last` is missing)."""
        if self.last is not None:
            return self.last
        if self.total_pages is not None and self.number is not None:
            return self.number + 1 >= self.total_pages
        return not self.content
