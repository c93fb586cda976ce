"""A sales voucher (Lexware's JSON shape, lexware-api.md §5.1) drawn as the customer would
see it: letterhead, recipient, number or "Entwurf", dates, the items with their sub-items and
text lines, discounts, the tax breakdown and totals from `lexware.totals.compute` (the
editor's and the simulator's own engine), payment terms, introduction and remark."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from fpdf.enums import Align, XPos, YPos

from lexware.totals import Line, Totals, compute, round2
from portal.rendering import fonts
from portal.rendering.canvas import LEFT, Canvas, Column, Rendered, sender_address
from portal.rendering.labels import Labels, labels_for

BERLIN = ZoneInfo("Europe/Berlin")
VAT_FREE = {
    "vatfree",
    "intraCommunitySupply",
    "constructionService13b",
    "externalService13b",
    "thirdPartyCountryService",
    "thirdPartyCountryDelivery",
    "photovoltaicEquipment",
}


def decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except (InvalidOperation, ValueError):
        return Decimal(0)


def day_of(value: Any) -> date | None:
    """A Lexware timestamp (§8.1) or an ISO date as the Berlin day."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.date()
    return parsed.astimezone(BERLIN).date()


def priced_lines(voucher: dict[str, Any]) -> list[tuple[dict[str, Any], bool, Line | None]]:
    """Every item in print order with (item, is_sub_item, its Line for the totals or None)."""
    tax_type = (voucher.get("taxConditions") or {}).get("taxType") or "net"
    gross = tax_type == "gross"
    out: list[tuple[dict[str, Any], bool, Line | None]] = []

    def line_of(item: dict[str, Any], counted: bool) -> Line | None:
        if item.get("type") == "text":
            return None
        price = item.get("unitPrice") or {}
        amount = price.get("grossAmount" if gross else "netAmount")
        if amount is None:
            amount = price.get("netAmount") or price.get("grossAmount")
        rate = Decimal(0) if tax_type in VAT_FREE else decimal(price.get("taxRatePercentage"))
        return Line(
            quantity=decimal(item.get("quantity")),
            price=decimal(amount),
            tax_rate=rate,
            discount_percentage=decimal(item.get("discountPercentage")),
            counted=counted,
        )

    for item in voucher.get("lineItems") or []:
        if not isinstance(item, dict):
            continue
        out.append((item, False, line_of(item, not item.get("optional"))))
        for sub in item.get("subItems") or []:
            if isinstance(sub, dict):
                out.append((sub, True, line_of(sub, not sub.get("alternative"))))
    return out


def voucher_totals(
    voucher: dict[str, Any], rows: list[tuple[dict[str, Any], bool, Line | None]]
) -> Totals:
    tax_type = (voucher.get("taxConditions") or {}).get("taxType") or "net"
    total = voucher.get("totalPrice") or {}
    percentage = decimal(total.get("totalDiscountPercentage")) or None
    absolute = decimal(total.get("totalDiscountAbsolute")) or None
    return compute(
        [line for _item, _sub, line in rows if line is not None],
        gross_prices=tax_type == "gross",
        discount_percentage=percentage,
        discount_absolute=None if percentage else absolute,
    )


def draw_voucher(payload: dict[str, Any]) -> Rendered:
    labels = labels_for(payload.get("language"))
    voucher: dict[str, Any] = payload.get("voucher") or {}
    voucher_type = str(payload.get("voucher_type") or "invoice")
    pdf = Canvas(labels=labels, letterhead=payload.get("letterhead") or {}, mark=True)
    pdf.add_page()
    draw_letterhead(pdf, address=voucher.get("address") or {})
    draw_facts(pdf, labels, voucher, voucher_type)
    title = voucher.get("title") or labels.types.get(voucher_type, voucher_type)
    pdf.set_xy(LEFT, max(pdf.get_y(), 100))
    pdf.set_font(fonts.FAMILY, "B", 14)
    number = shown_number(voucher, labels)
    pdf.cell(0, 8, pdf.plain(f"{title} {number}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.formatted(voucher.get("introduction"))
    pdf.ln(3)
    rows = priced_lines(voucher)
    totals = voucher_totals(voucher, rows)
    draw_items(pdf, labels, voucher, rows, totals)
    draw_totals(pdf, labels, voucher, totals)
    draw_closing(pdf, labels, voucher)
    return pdf.finish()


def shown_number(voucher: dict[str, Any], labels: Labels) -> str:
    """The number, or "Entwurf" for a draft: Lexware may give a draft a number, but finalizing
    makes a new document with a number of its own (§6.3), so a draft's number would be wrong."""
    if voucher.get("voucherStatus") == "draft":
        return labels.draft
    return str(voucher.get("voucherNumber") or labels.draft)


def draw_letterhead(pdf: Canvas, *, address: dict[str, Any]) -> None:
    head = pdf.letterhead
    pdf.set_xy(LEFT, 16)
    pdf.set_font(fonts.FAMILY, "B", 15)
    pdf.cell(0, 7, pdf.plain(head.get("company") or ""), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(fonts.FAMILY, "", 8.5)
    lines = sender_address(head, pdf.labels)
    for line in lines:
        pdf.cell(0, 4, pdf.plain(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # DIN 5008 window: the sender in one small line, then the recipient.
    pdf.set_xy(LEFT, 45)
    sender = " · ".join(part for part in [str(head.get("company") or ""), *lines] if part)
    pdf.fitted_cell(85, 4, sender, size=6.5)
    pdf.set_font(fonts.FAMILY, "", 10)
    for line in address_lines(address):
        pdf.cell(85, 4.6, pdf.plain(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def address_lines(address: dict[str, Any]) -> list[str]:
    city = " ".join(str(p) for p in (address.get("zip"), address.get("city")) if p)
    country = address.get("countryCode")
    lines = [
        address.get("name"),
        address.get("supplement"),
        address.get("contactPerson"),
        address.get("street"),
        city,
        country if country and country != "DE" else None,
    ]
    return [str(line) for line in lines if line]


def draw_facts(pdf: Canvas, labels: Labels, voucher: dict[str, Any], voucher_type: str) -> None:
    facts: list[tuple[str, str]] = [
        (labels.number, shown_number(voucher, labels)),
        (labels.date, labels.day(day_of(voucher.get("voucherDate")))),
    ]
    shipping = voucher.get("shippingConditions") or {}
    kind = shipping.get("shippingType")
    if kind in labels.shipping:
        start = labels.day(day_of(shipping.get("shippingDate")))
        end = day_of(shipping.get("shippingEndDate"))
        value = f"{start} – {labels.day(end)}" if kind.endswith("period") and end else start
        facts.append((labels.shipping[kind], value))
    if voucher.get("expirationDate"):
        facts.append((labels.expiration_date, labels.day(day_of(voucher.get("expirationDate")))))
    if voucher.get("dueDate"):
        facts.append((labels.due_date, labels.day(day_of(voucher.get("dueDate")))))
    if voucher.get("customerNumber"):
        facts.append((labels.customer_number, str(voucher["customerNumber"])))
    y = 45.0
    for label, value in facts:
        pdf.set_xy(125, y)
        pdf.set_font(fonts.FAMILY, "", 8.5)
        pdf.cell(32, 4.6, pdf.plain(label))
        pdf.set_font(fonts.FAMILY, "B" if label == labels.number else "", 8.5)
        pdf.cell(38, 4.6, pdf.plain(value), align=Align.R)
        y += 4.6
    pdf.set_y(max(y, pdf.get_y()) + 6)


def item_columns(labels: Labels, discounts: bool) -> list[Column]:
    name = 77.0 if discounts else 91.0
    columns = [
        Column(labels.position, 10),
        Column(labels.description, name),
        Column(labels.quantity, 24, "R"),
        Column(labels.unit_price, 24, "R"),
    ]
    if discounts:
        columns.append(Column(labels.discount, 14, "R"))
    columns.append(Column(labels.amount, 26, "R"))
    return columns


def draw_items(
    pdf: Canvas,
    labels: Labels,
    voucher: dict[str, Any],
    rows: list[tuple[dict[str, Any], bool, Line | None]],
    totals: Totals,
) -> None:
    discounts = any(line is not None and line.discount_percentage for _i, _s, line in rows)
    columns = item_columns(labels, discounts)
    pdf.start_table(columns)
    amounts = iter(totals.line_amounts)
    position = 0
    for item, sub, line in rows:
        amount = next(amounts) if line is not None else None
        if not sub:
            position += 1
        draw_item(pdf, labels, columns, item, sub, line, amount, position, voucher)
    pdf.end_table()
    pdf.ln(2)


def draw_item(
    pdf: Canvas,
    labels: Labels,
    columns: list[Column],
    item: dict[str, Any],
    sub: bool,
    line: Line | None,
    amount: Decimal | None,
    position: int,
    voucher: dict[str, Any],
) -> None:
    name_width = columns[1].width
    name = pdf.plain(item.get("name") or "")
    if sub:
        name = f"{labels.alternative}: {name}" if item.get("alternative") else name
    elif item.get("optional"):
        name = f"{name} ({labels.optional})"
    pdf.set_font(fonts.FAMILY, "B" if item.get("type") == "text" else "", 9)
    if "\n" not in name and pdf.get_string_width(name) < name_width - 2:
        height = 4.4  # one line: no need to break it twice
    else:
        measured = pdf.multi_cell(name_width, 4.4, name or " ", dry_run=True, output="HEIGHT")
        height = float(measured)  # type: ignore[arg-type]
    pdf.need(height + 1)
    y = pdf.get_y()
    pdf.set_x(LEFT)
    pdf.set_font(fonts.FAMILY, "", 9)
    pdf.cell(columns[0].width, 4.4, "" if sub else str(position))
    x_after = LEFT + columns[0].width + name_width
    if line is not None and amount is not None:
        currency = (item.get("unitPrice") or {}).get("currency") or "EUR"
        pdf.set_xy(x_after, y)
        unit = pdf.plain(item.get("unitName") or "")
        pdf.cell(
            columns[2].width,
            4.4,
            f"{labels.number_text(line.quantity)} {unit}".strip(),
            align=Align.R,
        )
        pdf.cell(columns[3].width, 4.4, labels.money(line.price, currency), align=Align.R)
        if len(columns) == 6:
            discount = labels.percent(line.discount_percentage) if line.discount_percentage else ""
            pdf.cell(columns[4].width, 4.4, discount, align=Align.R)
        shown = labels.money(amount, currency)
        if not line.counted:
            shown = f"({shown})"
        pdf.cell(columns[-1].width, 4.4, shown, align=Align.R)
    pdf.set_xy(LEFT + columns[0].width, y)
    pdf.set_font(fonts.FAMILY, "B" if item.get("type") == "text" else "", 9)
    pdf.multi_cell(name_width, 4.4, name or " ", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if item.get("description"):
        pdf.set_text_color(70, 70, 70)
        pdf.formatted(
            item.get("description"), width=name_width, size=8.5, x=LEFT + columns[0].width
        )
        pdf.set_text_color(0, 0, 0)
    pdf.ln(1.2)


def draw_totals(pdf: Canvas, labels: Labels, voucher: dict[str, Any], totals: Totals) -> None:
    tax_type = (voucher.get("taxConditions") or {}).get("taxType") or "net"
    currency = (voucher.get("totalPrice") or {}).get("currency") or "EUR"
    rows: list[tuple[str, str, bool]] = []
    if totals.discount_absolute:
        rows.append(
            (labels.total_discount, labels.money(-totals.discount_absolute, currency), False)
        )
    if tax_type == "gross":
        for group in totals.groups:
            text = labels.included_tax.format(
                rate=labels.percent(group.rate), base=labels.money(group.gross, currency)
            )
            rows.append((text, labels.money(group.tax, currency), False))
        rows.append((labels.total_gross, labels.money(totals.gross, currency), True))
    else:
        rows.append((labels.total_net, labels.money(totals.net, currency), False))
        if tax_type not in VAT_FREE:
            for group in totals.groups:
                text = labels.plus_tax.format(
                    rate=labels.percent(group.rate), base=labels.money(group.net, currency)
                )
                rows.append((text, labels.money(round2(group.tax), currency), False))
        rows.append((labels.total_gross, labels.money(totals.gross, currency), True))
    pdf.need(6 * len(rows) + 4)
    pdf.set_draw_color(120, 120, 120)
    pdf.line(LEFT + 80, pdf.get_y(), LEFT + pdf.epw, pdf.get_y())
    pdf.ln(1.5)
    for label, value, strong in rows:
        pdf.set_x(LEFT + 40)
        pdf.set_font(fonts.FAMILY, "B" if strong else "", 9.5 if strong else 9)
        pdf.cell(pdf.epw - 40 - 30, 5.2, pdf.plain(label), align=Align.R)
        pdf.cell(30, 5.2, value, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    note = (voucher.get("taxConditions") or {}).get("taxTypeNote")
    if note:
        pdf.ln(1)
        pdf.set_font(fonts.FAMILY, "I", 8.5)
        pdf.multi_cell(0, 4.2, fonts.clean(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def draw_closing(pdf: Canvas, labels: Labels, voucher: dict[str, Any]) -> None:
    terms = (voucher.get("paymentConditions") or {}).get("paymentTermLabel")
    if terms:
        pdf.set_font(fonts.FAMILY, "B", 9)
        pdf.cell(0, 5, pdf.plain(labels.payable), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(fonts.FAMILY, "", 9)
        pdf.multi_cell(0, 4.4, fonts.clean(terms), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
    if voucher.get("deliveryTerms"):
        pdf.set_font(fonts.FAMILY, "", 9)
        pdf.multi_cell(
            0, 4.4, fonts.clean(voucher["deliveryTerms"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(3)
    pdf.formatted(voucher.get("remark"))
