"""Amounts, dates and status labels in the user's language (German or English).

The one place that formats money, days and percentages for display: templates use these
filters, never `|date`, `|floatformat` or `|intcomma`. Driven by the active language
(`get_language()`), not by Django's format localisation, so that the formats are exactly what
German and English office staff expect: `1.234,56 €` / `€1,234.56`, `28.11.2026` /
`Nov 28, 2026`, `19 %` / `19%`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy

register = template.Library()

EMPTY = "—"
CURRENCY_SYMBOLS = {"EUR": "€"}
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Voucher and payment statuses (lexware-api.md §6.1, §5.15), in Lexware's own German words
# (locale/de). The context keeps them apart from buttons and headings with the same English
# text ("Open" the status is "offen", "Open" the link is "Öffnen").
STATUS_LABELS: dict[str, Promise] = {
    "draft": pgettext_lazy("voucher status", "Draft"),
    "open": pgettext_lazy("voucher status", "Open"),
    "overdue": pgettext_lazy("voucher status", "Overdue"),
    "paid": pgettext_lazy("voucher status", "Paid"),
    "paidoff": pgettext_lazy("voucher status", "Paid off"),
    "voided": pgettext_lazy("voucher status", "Voided"),
    "transferred": pgettext_lazy("voucher status", "Transferred"),
    "sepadebit": pgettext_lazy("voucher status", "Direct debit"),
    "accepted": pgettext_lazy("voucher status", "Accepted"),
    "rejected": pgettext_lazy("voucher status", "Rejected"),
    "unchecked": pgettext_lazy("voucher status", "Unchecked"),
    "blank": pgettext_lazy("voucher status", "Being read"),
    "balanced": pgettext_lazy("voucher status", "Balanced"),
    "openRevenue": pgettext_lazy("voucher status", "Open receivable"),
    "openExpense": pgettext_lazy("voucher status", "Open payable"),
}

# §5.15 paymentItemType: how an amount was booked against a voucher.
PAYMENT_KINDS: dict[str, Promise] = {
    "partPaymentFinancialTransaction": pgettext_lazy("payment kind", "Bank transaction"),
    "partPaymentCreditNote": pgettext_lazy("payment kind", "Credit note"),
    "partPaymentCashBox": pgettext_lazy("payment kind", "Cash box"),
    "manualPayment": pgettext_lazy("payment kind", "Manual payment"),
    "cashDiscount": pgettext_lazy("payment kind", "Cash discount"),
    "dunningCosts": pgettext_lazy("payment kind", "Dunning costs"),
    "currencyConversion": pgettext_lazy("payment kind", "Currency conversion"),
    "irrecoverableReceivable": pgettext_lazy("payment kind", "Irrecoverable receivable"),
}

# The kinds of e-mail addresses and phone numbers of a Lexware contact (lexware-api.md §5.5).
CHANNEL_LABELS: dict[str, Promise] = {
    "business": pgettext_lazy("contact channel", "business"),
    "office": pgettext_lazy("contact channel", "office"),
    "private": pgettext_lazy("contact channel", "private"),
    "mobile": pgettext_lazy("contact channel", "mobile"),
    "fax": pgettext_lazy("contact channel", "fax"),
    "other": pgettext_lazy("contact channel", "other"),
}


def current_language() -> str:
    """ "de" or "en": the formats to use for the active language."""
    return "en" if (get_language() or "de").lower().startswith("en") else "de"


_language = current_language


def _group(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_money(value: Any, currency: str = "EUR", language: str | None = None) -> str:
    """`1234.5` → `1.234,50 €` (de) / `€1,234.50` (en); None and junk → `—`."""
    if value is None or value == "":
        return EMPTY
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return EMPTY
    language = language or _language()
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    symbol = CURRENCY_SYMBOLS.get(currency or "EUR", currency or "")
    if language == "en":
        return f"{sign}{symbol}{_group(whole, ',')}.{cents}"
    return f"{sign}{_group(whole, '.')},{cents} {symbol}"


def _as_date(value: Any) -> date | None:
    if isinstance(value, str):
        # Lexware's own timestamps inside raw JSON (§8.1), e.g. a payment item's postingDate.
        try:
            value = parse_datetime(value) or parse_date(value[:10])
        except ValueError:  # well-formed but impossible, like 2026-13-45
            return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


def format_day(value: Any, language: str | None = None) -> str:
    """A date (or a datetime, in local time) as `21.11.2026` (de) / `Nov 21, 2026` (en)."""
    day = _as_date(value)
    if day is None:
        return EMPTY
    if (language or _language()) == "en":
        return f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def format_moment(value: Any, language: str | None = None) -> str:
    """A datetime with the local time of day: `21.11.2026, 09:38` / `Nov 21, 2026, 09:38`."""
    if not isinstance(value, datetime):
        return format_day(value, language)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_day(local, language)}, {local:%H:%M}"


def status_text(status: Any, language: str | None = None) -> str:
    if not status:
        return EMPTY
    label = STATUS_LABELS.get(str(status))
    if label is None:
        return str(status)  # Lexware may add statuses (§5.22): show them as sent
    if language is None:
        return str(label)
    with translation.override(language):
        return str(label)


@register.filter
def payment_kind(value: Any) -> str:
    """A payment item's kind in words; one Lexware adds later is shown as sent."""
    return str(PAYMENT_KINDS.get(str(value), value or EMPTY))


@register.filter
def money(value: Any, currency: str = "EUR") -> str:
    return format_money(value, currency)


@register.filter
def day(value: Any) -> str:
    return format_day(value)


@register.filter
def moment(value: Any) -> str:
    return format_moment(value)


@register.filter
def status_label(status: Any) -> str:
    return status_text(status)


@register.filter
def channel_label(kind: Any) -> str:
    label = CHANNEL_LABELS.get(str(kind))
    return str(label) if label is not None else str(kind)


@register.filter
def quantity(value: Any) -> str:
    """A quantity with up to four decimals (§8.2), without trailing zeros: `1,5` / `1.5`."""
    if value is None or value == "":
        return EMPTY
    try:
        number = Decimal(str(value)).quantize(Decimal("0.0001")).normalize()
    except (InvalidOperation, ValueError):
        return EMPTY
    text = f"{number:f}"
    return text if _language() == "en" else text.replace(".", ",")


@register.filter
def percent(value: Any) -> str:
    """`19` → `19 %` (de) / `19%` (en); keeps up to two decimals without trailing zeros."""
    if value is None or value == "":
        return EMPTY
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    except (InvalidOperation, ValueError):
        return EMPTY
    text = f"{number:f}"
    if _language() == "en":
        return f"{text}%"
    return f"{text.replace('.', ',')} %"


@register.filter
def duration(seconds: Any) -> str:
    """Seconds as `1 h 05 min`, `3 min 20 s` or `45 s` (for the sync ETA)."""
    if seconds is None or seconds == "":
        return EMPTY
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
