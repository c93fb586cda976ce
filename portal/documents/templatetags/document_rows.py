"""`{% document_rows rows documents_url bookkeeping_url %}`: the body rows of a document table.

A list page shows up to 50 rows of 8 cells; as template nodes with a filter each that was the
largest part of a list page's server time (benchmarks.profile_pages). The same cells are built
here in one pass, escaped as format_html escapes, with the language and labels looked up once per
table instead of once per cell.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe

from portal.core.templatetags.formatting import (
    EMPTY,
    current_language,
    format_day,
    format_money,
    status_text,
)
from portal.documents.models import TYPE_LABELS, Document

register = template.Library()

ROW = (
    '<tr><td><a href="{}{}/">{}</a></td><td>{}</td><td class="nowrap">{}</td><td>{}</td>'
    '<td><span class="badge badge--{}">{}</span></td><td class="nowrap">{}</td>'
    '<td class="num nowrap">{}</td><td class="num nowrap">{}</td></tr>'
)


# With `select_form`, a leading checkbox per row belongs to that form (the PDF export).
SELECT = (
    '<td class="select-cell"><input type="checkbox" name="document" value="{}" form="{}" '
    'aria-label="{}"></td>'
)


@register.simple_tag
def document_rows(
    rows: Iterable[Document], documents_url: str, bookkeeping_url: str, select_form: str = ""
) -> SafeString:
    language = current_language()
    type_labels: dict[str, str] = {}
    status_labels: dict[str, str] = {}
    # format_day looks the zone up for every value; a table asks once, and many rows share a day.
    zone = timezone.get_current_timezone()
    days: dict[Any, str] = {}

    def day(value: datetime | None) -> str:
        if value is None:
            return EMPTY
        text = days.get(value)
        if text is None:
            local = value.astimezone(zone) if timezone.is_aware(value) else value
            text = days[value] = format_day(local.date(), language)
        return text

    def cells(doc: Document) -> tuple[Any, ...]:
        status = getattr(doc, "shown_status", None) or doc.status
        if doc.voucher_type not in type_labels:
            type_labels[doc.voucher_type] = str(TYPE_LABELS.get(doc.voucher_type, doc.voucher_type))
        if status not in status_labels:
            status_labels[status] = status_text(status)
        return (
            documents_url if doc.is_sales else bookkeeping_url,
            doc.lexware_id,
            doc.voucher_number or EMPTY,
            type_labels[doc.voucher_type],
            day(doc.voucher_date),
            doc.contact_name or EMPTY,
            status or "none",
            status_labels[status],
            day(doc.due_date),
            format_money(doc.total_amount, doc.currency, language),
            format_money(doc.open_amount, doc.currency, language),
        )

    if not select_form:
        return _join(ROW, (cells(doc) for doc in rows))
    row = ROW.replace("<tr>", "<tr>" + SELECT, 1)
    return _join(
        row,
        ((doc.lexware_id, select_form, doc.voucher_number or EMPTY, *cells(doc)) for doc in rows),
    )


def _escape(value: Any) -> Any:
    # django.utils.html.conditional_escape without its lazy-string wrapper, which cost more
    # than the rows' formatting (700 calls per table): the same html.escape(str(value)).
    if isinstance(value, SafeData) or hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _join(row: str, cells: Iterable[tuple[Any, ...]]) -> SafeString:
    """format_html_join("\n", row, cells) with the cheaper escape."""
    return mark_safe("\n".join(row.format(*map(_escape, values)) for values in cells))  # noqa: S308
