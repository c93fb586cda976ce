from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.core.templatetags.formatting import format_day, format_moment, format_money, status_text


@pytest.mark.parametrize(
    ("value", "german", "english"),
    [
        (Decimal("1234.56"), "1.234,56 €", "€1,234.56"),
        (1234567.5, "1.234.567,50 €", "€1,234,567.50"),
        ("0", "0,00 €", "€0.00"),
        (Decimal("-1234.56"), "-1.234,56 €", "-€1,234.56"),
        (Decimal("-0.5"), "-0,50 €", "-€0.50"),
        (Decimal("999.995"), "1.000,00 €", "€1,000.00"),
        (12, "12,00 €", "€12.00"),
    ],
)
def test_money_in_both_languages(value: object, german: str, english: str) -> None:
    assert format_money(value, language="de") == german
    assert format_money(value, language="en") == english


@pytest.mark.parametrize("value", [None, "", "not a number"])
def test_money_without_a_value_is_a_dash(value: object) -> None:
    assert format_money(value, language="de") == "—"
    assert format_money(value, language="en") == "—"


def test_day_in_both_languages() -> None:
    assert format_day(date(2026, 11, 21), language="de") == "21.11.2026"
    assert format_day(date(2026, 11, 21), language="en") == "Nov 21, 2026"
    assert format_day(date(2026, 3, 2), language="de") == "02.03.2026"
    assert format_day(None, language="de") == "—"
    assert format_day("not a date", language="en") == "—"
    # Timestamps inside Lexware JSON arrive as strings (§8.1).
    assert format_day("2026-11-21T10:00:00.000+01:00", language="en") == "Nov 21, 2026"
    assert format_day("2026-11-21", language="de") == "21.11.2026"


def test_day_of_an_aware_datetime_is_the_local_day() -> None:
    # 23:30 UTC on the 20th is already the 21st in Berlin.
    late = datetime(2026, 11, 20, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert format_day(late, language="de") == "21.11.2026"
    assert format_moment(late, language="de") == "21.11.2026, 00:30"
    assert format_moment(late, language="en") == "Nov 21, 2026, 00:30"


def test_status_labels_follow_the_language_and_pass_unknown_ones_through() -> None:
    assert status_text("overdue", language="de") == "Überfällig"
    assert status_text("overdue", language="en") == "Overdue"
    assert status_text("somethingnew", language="de") == "somethingnew"
    assert status_text("", language="en") == "—"


def test_template_filters_use_the_active_language() -> None:
    template = Template(
        "{% load formatting %}{{ amount|money }} {{ when|day }} {{ status|status_label }}"
    )
    context = Context({"amount": Decimal("-1234.5"), "when": date(2026, 11, 21), "status": "paid"})
    with translation.override("de"):
        assert template.render(context) == "-1.234,50 € 21.11.2026 Bezahlt"
    with translation.override("en"):
        assert template.render(context) == "-€1,234.50 Nov 21, 2026 Paid"


def test_payment_kinds_are_words_and_unknown_ones_show_as_sent() -> None:
    from django.utils import translation

    from portal.core.templatetags.formatting import payment_kind

    with translation.override("de"):
        assert payment_kind("partPaymentCreditNote") == "Gutschrift"
        assert payment_kind("partPaymentFinancialTransaction") == "Bankbuchung"
    with translation.override("en"):
        assert payment_kind("cashDiscount") == "Cash discount"
    assert payment_kind("somethingNew") == "somethingNew"
