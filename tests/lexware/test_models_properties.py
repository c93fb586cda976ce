"""Property tests (Hypothesis) for lexware.models: date formats (§8.1), amounts (§8.2, §8.3) and
model round trips through real JSON text."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from lexware.models import (
    BERLIN,
    Article,
    ArticlePrice,
    Company,
    Contact,
    ContactAddress,
    ContactAddresses,
    ContactPerson,
    ContactRole,
    ContactRoles,
    Invoice,
    LexwareDate,
    LexwareDateTime,
    LineItem,
    LineItemType,
    Page,
    TaxAmount,
    TaxConditions,
    TaxType,
    TotalPrice,
    UnitPrice,
    Voucher,
    VoucherAddress,
    VoucherItem,
    VoucherlistItem,
    VoucherStatus,
    VoucherType,
    format_lexware_datetime,
)

LEXWARE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")
DATETIME = TypeAdapter(LexwareDateTime)
DATE = TypeAdapter(LexwareDate)


def over_the_wire(payload: dict[str, Any]) -> dict[str, Any]:
    """What the other side receives: the body serialised to JSON text and read back."""
    result: dict[str, Any] = json.loads(json.dumps(payload))
    return result


# --------------------------------------------------------------------------- timestamps (§8.1)

any_offset = st.builds(
    timezone,
    st.timedeltas(
        min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)
    ),
)
aware_or_naive = st.one_of(
    st.datetimes(),  # naive → Europe/Berlin, including LMT offsets before 1893
    st.datetimes(timezones=st.timezones()),  # real zones (DST gaps, folds, odd historic offsets)
    st.datetimes(timezones=any_offset),  # arbitrary fixed offsets, also with seconds
)


@given(aware_or_naive)
def test_lexware_datetime_always_has_the_exact_wire_format(value: datetime) -> None:
    text = DATETIME.dump_python(value, mode="json")
    assert LEXWARE_TIMESTAMP.match(text), text
    assert text == format_lexware_datetime(value)


# Years 2..9998 keep the UTC conversion of odd offsets clear of datetime's range limits.
modern = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31))


@given(
    st.one_of(
        modern,
        modern.map(lambda d: d.replace(tzinfo=UTC)),
        st.builds(lambda d, tz: d.replace(tzinfo=tz), modern, st.timezones()),
        st.builds(lambda d, tz: d.replace(tzinfo=tz), modern, any_offset),
    )
)
def test_lexware_datetime_round_trip_keeps_the_instant_to_the_millisecond(value: datetime) -> None:
    text = DATETIME.dump_python(value, mode="json")
    parsed = DATETIME.validate_python(text)
    assert parsed.tzinfo is not None
    aware = value if value.tzinfo is not None else DATETIME.validate_python(value)
    # Lexware timestamps carry milliseconds: the rest of the microseconds is cut, never rounded.
    expected = aware - timedelta(microseconds=aware.microsecond % 1000)
    if (aware.utcoffset() or timedelta(0)).total_seconds() % 60 == 0:
        assert parsed == expected
        # Parsing the text again and writing it gives the identical text (stable on re-save).
        assert DATETIME.dump_python(parsed, mode="json") == text
    else:
        # Offsets with seconds cannot be written as ±hh:mm; they are converted to UTC instead
        # (and the millisecond cut applies to the UTC wall clock).
        in_utc = aware.astimezone(UTC)
        assert text.endswith("Z")
        assert parsed == in_utc - timedelta(microseconds=in_utc.microsecond % 1000)


@given(st.datetimes(timezones=st.just(UTC)))
def test_utc_is_written_with_z(value: datetime) -> None:
    assert DATETIME.dump_python(value, mode="json").endswith("Z")


def test_naive_datetimes_are_berlin_wall_time_in_winter_and_summer() -> None:
    assert DATETIME.dump_python(datetime(2026, 1, 15, 8, 0), mode="json") == (
        "2026-01-15T08:00:00.000+01:00"
    )
    assert DATETIME.dump_python(datetime(2026, 7, 15, 8, 0, 0, 999999), mode="json") == (
        "2026-07-15T08:00:00.999+02:00"
    )


def test_lenient_timestamp_inputs() -> None:
    cet = timezone(timedelta(hours=1))
    expected = datetime(2026, 3, 2, 10, 0, tzinfo=cet)
    for text in (
        "2026-03-02T10:00:00.000+01:00",
        "2026-03-02T10:00:00+01:00",  # no milliseconds (Lexware itself would refuse this)
        "2026-03-02T09:00:00Z",
        "2026-03-02T09:00:00.000000+00:00",
        "2026-03-02T10:00:00",  # no offset: Berlin
    ):
        assert DATETIME.validate_python(text) == expected, text
    assert DATETIME.validate_python("2026-03-02") == datetime(2026, 3, 2, tzinfo=cet)


# --------------------------------------------------------------------------- plain dates (§8.1)


@given(st.dates())
def test_lexware_date_writes_yyyy_mm_dd_and_reads_it_back(value: date) -> None:
    text = DATE.dump_python(value, mode="json")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)
    assert DATE.validate_python(text) == value


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 2), max_value=datetime(9998, 12, 30), timezones=st.timezones()
    )
)
def test_lexware_date_from_a_timestamp_is_the_berlin_calendar_day(value: datetime) -> None:
    text = format_lexware_datetime(value)
    parsed = DATE.validate_python(text)
    assert parsed == DATETIME.validate_python(text).astimezone(BERLIN).date()


# --------------------------------------------------------------------------- amounts (§8.2)

two_decimals = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
four_decimals = st.decimals(
    min_value=Decimal("-9999999.9999"),
    max_value=Decimal("9999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
positive_two = st.decimals(min_value=Decimal("0"), max_value=Decimal("999999.99"), places=2)


@given(
    net=four_decimals,
    gross=four_decimals,
    quantity=four_decimals,
    rate=positive_two,
    total=two_decimals,
    tax=two_decimals,
    discount=positive_two,
)
def test_amounts_survive_json_exactly(
    net: Decimal,
    gross: Decimal,
    quantity: Decimal,
    rate: Decimal,
    total: Decimal,
    tax: Decimal,
    discount: Decimal,
) -> None:
    item = LineItem(
        type=LineItemType.CUSTOM,
        quantity=quantity,
        discount_percentage=discount,
        unit_price=UnitPrice(
            currency="EUR", net_amount=net, gross_amount=gross, tax_rate_percentage=rate
        ),
        line_item_amount=total,
    )
    body = over_the_wire(item.to_api())
    # Numbers, never strings (pydantic's default for Decimal in JSON mode).
    assert not isinstance(body["unitPrice"]["netAmount"], str)
    again = LineItem.model_validate(body)
    assert again.unit_price is not None
    assert again.unit_price.net_amount == net
    assert again.unit_price.gross_amount == gross
    assert again.unit_price.tax_rate_percentage == rate
    assert again.quantity == quantity
    assert again.line_item_amount == total
    assert again.discount_percentage == discount
    assert again == item


@given(st.lists(two_decimals, min_size=1, max_size=30))
def test_totals_summed_from_parsed_json_have_no_float_drift(amounts: list[Decimal]) -> None:
    # e.g. 0.1 + 0.2: as floats 0.30000000000000004, as parsed Decimals exactly 0.30
    rows = [
        {"taxRatePercentage": 19, "taxAmount": float(a), "netAmount": float(a)} for a in amounts
    ]
    parsed = [TaxAmount.model_validate(row) for row in over_the_wire({"rows": rows})["rows"]]
    total = sum((row.tax_amount or Decimal(0) for row in parsed), Decimal(0))
    assert total == sum(amounts, Decimal(0))
    price = TotalPrice(currency="EUR", total_tax_amount=total)
    assert Decimal(repr(over_the_wire(price.to_api())["totalTaxAmount"])) == total


def test_the_classic_float_case() -> None:
    a = TaxAmount.model_validate({"taxAmount": 0.1})
    b = TaxAmount.model_validate({"taxAmount": 0.2})
    assert a.tax_amount is not None and b.tax_amount is not None
    assert a.tax_amount + b.tax_amount == Decimal("0.3")
    assert TotalPrice(total_gross_amount=a.tax_amount + b.tax_amount).to_api() == {
        "totalGrossAmount": 0.3
    }


@given(st.one_of(st.integers(-(10**9), 10**9), four_decimals.map(str), four_decimals.map(float)))
def test_amount_inputs_parse_leniently_from_int_str_and_float(raw: int | str | float) -> None:
    price = UnitPrice.model_validate({"netAmount": raw})
    assert isinstance(price.net_amount, Decimal)
    assert price.net_amount == Decimal(repr(raw) if isinstance(raw, float) else str(raw))


# --------------------------------------------------------------------------- model round trips

ids = st.uuids().map(str)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
maybe = st.none  # shorthand below: st.one_of(maybe(), x)

unit_prices = st.builds(
    UnitPrice,
    currency=st.just("EUR"),
    net_amount=st.one_of(maybe(), four_decimals),
    gross_amount=st.one_of(maybe(), four_decimals),
    tax_rate_percentage=positive_two,
)
line_items = st.builds(
    LineItem,
    id=st.one_of(maybe(), ids),
    type=st.one_of(st.sampled_from(LineItemType), st.just("bundle")),
    name=text,
    description=st.one_of(maybe(), text),
    quantity=st.one_of(maybe(), four_decimals),
    unit_name=st.one_of(maybe(), text),
    unit_price=st.one_of(maybe(), unit_prices),
    discount_percentage=st.one_of(maybe(), positive_two),
    line_item_amount=st.one_of(maybe(), two_decimals),
    optional=st.one_of(maybe(), st.booleans()),
)
invoices = st.builds(
    Invoice,
    id=st.one_of(maybe(), ids),
    version=st.one_of(maybe(), st.integers(0, 10**6)),
    voucher_status=st.one_of(maybe(), st.sampled_from(VoucherStatus), text),
    voucher_date=st.one_of(
        maybe(),
        st.datetimes(
            min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones()
        ),
    ),
    address=st.builds(
        VoucherAddress,
        contact_id=st.one_of(maybe(), ids),
        name=st.one_of(maybe(), text),
        country_code=st.one_of(maybe(), text),
    ),
    line_items=st.lists(line_items, max_size=5),
    total_price=st.builds(
        TotalPrice,
        currency=st.just("EUR"),
        total_net_amount=st.one_of(maybe(), two_decimals),
        total_gross_amount=st.one_of(maybe(), two_decimals),
        total_discount_percentage=st.one_of(maybe(), positive_two),
    ),
    tax_conditions=st.builds(TaxConditions, tax_type=st.one_of(st.sampled_from(TaxType), text)),
    title=st.one_of(maybe(), text),
)
contacts = st.builds(
    Contact,
    id=st.one_of(maybe(), ids),
    version=st.integers(0, 1000),
    roles=st.builds(
        ContactRoles,
        customer=st.one_of(maybe(), st.builds(ContactRole)),
        vendor=st.one_of(maybe(), st.builds(ContactRole, number=st.integers(1, 99999))),
    ),
    company=st.one_of(
        maybe(),
        st.builds(
            Company,
            name=text,
            vat_registration_id=st.one_of(maybe(), text),
            contact_persons=st.one_of(
                maybe(),
                st.lists(
                    st.builds(
                        ContactPerson, last_name=text, primary=st.one_of(maybe(), st.booleans())
                    ),
                    max_size=2,
                ),
            ),
        ),
    ),
    addresses=st.one_of(
        maybe(),
        st.builds(
            ContactAddresses,
            billing=st.lists(
                st.builds(ContactAddress, city=text, country_code=st.just("DE")), max_size=2
            ),
        ),
    ),
    note=st.one_of(maybe(), text),
)
articles = st.builds(
    Article,
    title=text,
    type=st.sampled_from(["PRODUCT", "SERVICE", "GIFT_CARD"]),
    unit_name=text,
    price=st.builds(
        ArticlePrice,
        net_price=four_decimals,
        gross_price=st.one_of(maybe(), four_decimals),
        leading_price=st.sampled_from(["NET", "GROSS"]),
        tax_rate=positive_two,
    ),
)
vouchers = st.builds(
    Voucher,
    type=st.sampled_from(VoucherType),
    voucher_number=st.one_of(maybe(), text),
    voucher_date=st.one_of(maybe(), st.dates()),
    due_date=st.one_of(maybe(), st.dates()),
    total_gross_amount=two_decimals,
    total_tax_amount=two_decimals,
    tax_type=st.sampled_from(["net", "gross"]),
    voucher_items=st.lists(
        st.builds(
            VoucherItem,
            amount=two_decimals,
            tax_amount=two_decimals,
            tax_rate_percent=positive_two,
            category_id=ids,
        ),
        max_size=4,
    ),
    files=st.one_of(maybe(), st.lists(ids, max_size=3)),
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(invoices, contacts, articles, vouchers))
def test_models_round_trip_through_json(model: Any) -> None:
    body = over_the_wire(model.to_api())
    again = type(model).model_validate(body)
    assert again.to_api() == body
    if isinstance(model, Invoice) and model.voucher_date is not None:
        # Equal instants up to Lexware's millisecond resolution.
        assert again.voucher_date is not None
        assert abs(again.voucher_date - model.voucher_date) < timedelta(milliseconds=1)
    else:
        assert again == model


@given(
    st.lists(
        st.builds(
            VoucherlistItem,
            id=ids,
            voucher_type=st.one_of(st.sampled_from(VoucherType), text),
            total_amount=st.one_of(maybe(), two_decimals),
            open_amount=st.one_of(maybe(), two_decimals),
        ),
        max_size=5,
    ),
    st.integers(0, 40),
    st.integers(1, 250),
    st.dictionaries(text, text, max_size=2),
)
def test_pages_round_trip_with_unknown_envelope_fields(
    rows: list[VoucherlistItem], number: int, size: int, extra: dict[str, str]
) -> None:
    # Known envelope keys must not be shadowed by generated extras.
    extra = {f"x{k}": v for k, v in extra.items()}
    payload = {"content": [row.to_api() for row in rows], "number": number, "size": size} | extra
    page = Page[VoucherlistItem].model_validate(over_the_wire(payload))
    assert page.content == rows
    assert page.to_api() == payload
