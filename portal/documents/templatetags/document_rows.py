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
from portal.documents.selectors import DocumentRow

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
    rows: Iterable[Document | DocumentRow],
    documents_url: str,
    bookkeeping_url: str,
    select_form: str = "",
) -> SafeString:
    language = current_language()
    # Each cell is escaped exactly once, and what repeats from row to row (the links, labels,
    # badges and days) once per table: 14 escapes a row cost more than the row's formatting.
    urls = {True: _escape(documents_url), False: _escape(bookkeeping_url)}
    type_labels: dict[str, str] = {}
    statuses: dict[str, tuple[str, str]] = {}
    # format_day looks the zone up for every value; a table asks once, and many rows share a day.
    zone = timezone.get_current_timezone()
    days: dict[Any, str] = {}

    def day(value: datetime | None) -> str:
        if value is None:
            return EMPTY
        text = days.get(value)
        if text is None:
            local = value.astimezone(zone) if timezone.is_aware(value) else value
            text = days[value] = _escape(format_day(local.date(), language))
        return text

    def cells(doc: Document | DocumentRow) -> tuple[str, ...]:
        status = getattr(doc, "shown_status", None) or doc.status
        type_label = type_labels.get(doc.voucher_type)
        if type_label is None:
            label = TYPE_LABELS.get(doc.voucher_type, doc.voucher_type)
            type_label = type_labels[doc.voucher_type] = _escape(label)
        badge = statuses.get(status)
        if badge is None:
            badge = statuses[status] = (_escape(status or "none"), _escape(status_text(status)))
        return (
            urls[doc.is_sales],
            _escape(doc.lexware_id),
            _escape(doc.voucher_number) if doc.voucher_number else EMPTY,
            type_label,
            day(doc.voucher_date),
            _escape(doc.contact_name) if doc.contact_name else EMPTY,
            *badge,
            day(doc.due_date),
            _escape(format_money(doc.total_amount, doc.currency, language)),
            _escape(format_money(doc.open_amount, doc.currency, language)),
        )

    if not select_form:
        return _join(ROW, (cells(doc) for doc in rows))
    row = ROW.replace("<tr>", "<tr>" + SELECT, 1)
    form = _escape(select_form)
    return _join(
        row,
        (
            (_escape(doc.lexware_id), form, _escape(doc.voucher_number or EMPTY), *cells(doc))
            for doc in rows
        ),
    )


def _escape(value: Any) -> str:
    # django.utils.html.conditional_escape without its lazy-string wrapper, which cost more
    # than the rows' formatting: the same html.escape(str(value)), or the value's own __html__.
    if isinstance(value, SafeData) or hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _join(row: str, cells: Iterable[tuple[str, ...]]) -> SafeString:
    """format_html_join("\n", row, cells) for cells escaped already."""
    return mark_safe("\n".join(row.format(*values) for values in cells))  # noqa: S308
