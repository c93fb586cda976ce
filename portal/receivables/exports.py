"""CSV and XLSX of every table of the receivables pages.

CSV is written for the spreadsheet of the reader's language: German with `;` between fields
and a decimal comma, English with `,` and a decimal point; UTF-8 with a byte-order mark so
that Excel reads umlauts. Dates are ISO (2026-11-28) in both. XLSX cells hold real numbers
and dates (tablib/openpyxl). The invoice list, the one table that grows with the mirror, is
streamed as CSV row by row from a server-side cursor.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import tablib
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.templatetags.formatting import current_language, status_text
from portal.receivables.history import Debtor, Month
from portal.receivables.selectors import BucketFigure

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Lexware's days are Berlin days (§8.1), as the portal's TIME_ZONE.
BERLIN = ZoneInfo(settings.TIME_ZONE)


def _cell(value: Any, language: str) -> str:
    # Hot path of the streamed export (10,000s of rows): no per-value timezone lookups.
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
        return text.replace(".", ",") if language == "de" else text
    if isinstance(value, datetime):
        return value.astimezone(BERLIN).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterable[list[Any]], language: str) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";" if language == "de" else ",")
    yield "\ufeff" + writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_cell(value, language) for value in row])


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def respond(
    *, name: str, fmt: str, headers: list[str], rows: Iterable[list[Any]], stream: bool = False
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        data = tablib.Dataset(headers=headers, title=name[:31])
        for row in rows:
            data.append([_xlsx_value(value) for value in row])
        response = HttpResponse(data.export("xlsx"), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    lines = _csv_lines(headers, rows, current_language())
    csv_response: HttpResponse | StreamingHttpResponse
    if stream:
        csv_response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        csv_response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
    csv_response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return csv_response


def bucket_table(figures: list[BucketFigure]) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Days past due"), _("Invoices"), _("Open amount")]
    return headers, [[str(f.bucket.label), f.count, f.amount] for f in figures]


def debtor_table(debtors: list[Debtor]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Customer"),
        _("Customer ID"),
        _("Open invoices"),
        _("Open amount"),
        _("Overdue amount"),
        _("Oldest due date"),
        _("Average days to pay (12 months)"),
        _("Average days to pay (12 months before)"),
    ]
    rows = [
        [
            d.contact_name or _("Collective customer"),
            str(d.contact_lexware_id or ""),
            d.count,
            d.amount,
            d.overdue_amount,
            d.oldest_due,
            d.days_to_pay,
            d.days_to_pay_before,
        ]
        for d in debtors
    ]
    return headers, rows


def month_table(months: list[Month]) -> tuple[list[str], list[list[Any]]]:
    headers = [_("Month"), _("Invoiced"), _("Paid")]
    return headers, [[m.start.strftime("%Y-%m"), m.invoiced, m.paid] for m in months]


INVOICE_COLUMNS = (
    "voucher_number",
    "contact_name",
    "voucher_date",
    "due_date",
    "status",
    "total_amount",
    "open_or_total",
)


def invoice_table(
    rows: Iterable[tuple[Any, ...]], today: date
) -> tuple[list[str], Iterator[list[Any]]]:
    """`rows`: values_list(*INVOICE_COLUMNS) of selectors.bucket_invoices."""
    headers = [
        _("Number"),
        _("Customer"),
        _("Invoice date"),
        _("Due date"),
        _("Days past due"),
        _("Status"),
        _("Total"),
        _("Open amount"),
    ]
    overdue, open_ = status_text("overdue"), status_text("open")

    def lines() -> Iterator[list[Any]]:
        for number, name, voucher_date, due, status, total, amount in rows:
            late = (today - due.astimezone(BERLIN).date()).days if due else 0
            shown = overdue if late > 0 or status == "overdue" else open_
            yield [number, name, voucher_date, due, max(late, 0), shown, total, amount]

    return headers, lines()
