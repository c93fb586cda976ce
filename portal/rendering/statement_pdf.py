"""A customer's statement of open items (issue 19 item 2): number, date, due date, amount,
open amount and days overdue of every open invoice, and the total, as of a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from fpdf.enums import Align, XPos, YPos

from portal.rendering import fonts
from portal.rendering.canvas import LEFT, Canvas, Column, Rendered
from portal.rendering.voucher_pdf import day_of, decimal, draw_letterhead


def draw_statement(payload: dict[str, Any]) -> Rendered:
    from portal.rendering.labels import labels_for

    labels = labels_for(payload.get("language"))
    pdf = Canvas(labels=labels, letterhead=payload.get("letterhead") or {}, mark=False)
    pdf.add_page()
    draw_letterhead(pdf, address=payload.get("recipient") or {})
    as_of = day_of(payload.get("as_of")) or date.today()
    pdf.set_xy(125, 45)
    pdf.set_font(fonts.FAMILY, "", 8.5)
    pdf.cell(32, 4.6, labels.statement_as_of)
    pdf.cell(38, 4.6, labels.day(as_of), align=Align.R)
    if payload.get("customer_number"):
        pdf.set_xy(125, 49.6)
        pdf.cell(32, 4.6, labels.customer_number)
        pdf.cell(38, 4.6, pdf.plain(payload["customer_number"]), align=Align.R)
    pdf.set_xy(LEFT, 100)
    pdf.set_font(fonts.FAMILY, "B", 14)
    pdf.cell(0, 8, labels.statement_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(fonts.FAMILY, "", 9.5)
    items: list[dict[str, Any]] = list(payload.get("items") or [])
    if not items:
        pdf.multi_cell(0, 5, labels.statement_empty, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return pdf.finish()
    pdf.multi_cell(
        0,
        5,
        labels.statement_intro.format(day=labels.day(as_of)),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    titles = labels.statement_columns
    columns = [
        Column(titles[0], 40),
        Column(titles[1], 24),
        Column(titles[2], 24),
        Column(titles[3], 28, "R"),
        Column(titles[4], 28, "R"),
        Column(titles[5], 31, "R"),
    ]
    pdf.start_table(columns)
    for item in items:
        pdf.need(5)
        currency = str(item.get("currency") or "EUR")
        overdue = int(item.get("days_overdue") or 0)
        cells = [
            pdf.plain(item.get("number") or ""),
            labels.day(day_of(item.get("date"))),
            labels.day(day_of(item.get("due_date"))),
            labels.money(decimal(item.get("amount")), currency),
            labels.money(decimal(item.get("open")), currency),
            str(overdue) if overdue > 0 else "–",
        ]
        pdf.set_x(LEFT)
        pdf.set_font(fonts.FAMILY, "B" if overdue > 0 else "", 9)
        for column, value in zip(columns, cells, strict=True):
            pdf.cell(column.width, 5, value, align=column.align)
        pdf.ln(5)
    pdf.end_table()
    pdf.set_draw_color(120, 120, 120)
    pdf.line(LEFT + 80, pdf.get_y() + 1, LEFT + pdf.epw, pdf.get_y() + 1)
    pdf.ln(2.5)
    pdf.set_font(fonts.FAMILY, "B", 10)
    pdf.need(6)
    pdf.cell(pdf.epw - 59, 6, labels.statement_total, align=Align.R)
    pdf.cell(
        28,
        6,
        labels.money(decimal(payload.get("total")), str(payload.get("currency") or "EUR")),
        align=Align.R,
    )
    return pdf.finish()
