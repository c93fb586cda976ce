"""A real, valid PDF of a sales voucher (§5.3), rendered with fpdf2.

Layout of a German business letter: sender line, recipient address, document title and
number, dates, item table, tax breakdown and totals, texts. Unicode text ("Müller & Söhne –
19 %", "€") needs a TrueType font: DejaVu Sans from the system is used when present; without
it the built-in Helvetica (latin-1) is used and characters outside latin-1 are transliterated.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from fpdf import FPDF

from lexware.simulator.sales_kinds import DOCUMENT_TITLES
from lexware.simulator.timefmt import BERLIN, parse_datetime
from lexware.totals import to_decimal

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts",
)
TRANSLITERATION = {
    "–": "-",
    "—": "-",
    "€": "EUR",
    "„": '"',
    "“": '"',
    "”": '"',
    "‚": "'",
    "‘": "'",
    "’": "'",
    "…": "...",
}


def _find_font(name: str) -> str | None:
    for folder in FONT_DIRS:
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    return None


def german_number(value: Any, places: int = 2) -> str:
    number = to_decimal(value).quantize(Decimal(1).scaleb(-places))
    text = f"{number:,.{places}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def german_quantity(value: Any) -> str:
    number = to_decimal(value).normalize()
    places = (
        max(0, -int(number.as_tuple().exponent))
        if isinstance(number.as_tuple().exponent, int)
        else 0
    )
    return german_number(number, places)


def german_date(value: str | None) -> str:
    if not value:
        return ""
    return parse_datetime(value).astimezone(BERLIN).strftime("%d.%m.%Y")


class _Document(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        regular, bold = _find_font("DejaVuSans.ttf"), _find_font("DejaVuSans-Bold.ttf")
        self.unicode = regular is not None and bold is not None
        if regular and bold:
            self.add_font("Body", "", regular)
            self.add_font("Body", "B", bold)
            self.family_name = "Body"
        else:
            self.family_name = "Helvetica"
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(20, 20, 20)

    def clean(self, text: Any) -> str:
        value = "" if text is None else str(text)
        if self.unicode:
            return value
        for char, replacement in TRANSLITERATION.items():
            value = value.replace(char, replacement)
        return value.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)

    def line_text(self, text: Any, size: float = 10, bold: bool = False, height: float = 5) -> None:
        self.font(size, bold)
        self.multi_cell(0, height, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def euro(self, value: Any) -> str:
        return f"{german_number(value)} {'€' if self.unicode else 'EUR'}"


def _sender(profile: dict[str, Any], company: str) -> str:
    parts = [company]
    address = profile.get("_address") or {}
    if isinstance(address, dict):
        street = address.get("street")
        city = " ".join(x for x in (address.get("zip"), address.get("city")) if x)
        parts += [x for x in (street, city) if x]
    return " · ".join(parts)


def _recipient_lines(address: dict[str, Any]) -> list[str]:
    lines = [
        address.get("name"),
        address.get("supplement"),
        address.get("contactPerson"),
        address.get("street"),
    ]
    lines.append(" ".join(x for x in (address.get("zip"), address.get("city")) if x))
    country = address.get("countryCode")
    if country and country != "DE":
        lines.append(country)
    return [str(line) for line in lines if line]


def _meta_rows(
    voucher: dict[str, Any], kind: str, reference_number: str | None
) -> list[tuple[str, str]]:
    labels = {
        "invoice": "Rechnungsnr.",
        "downpaymentinvoice": "Rechnungsnr.",
        "creditnote": "Gutschriftsnr.",
        "quotation": "Angebotsnr.",
        "orderconfirmation": "Auftragsnr.",
        "deliverynote": "Lieferscheinnr.",
        "dunning": "zu Rechnung",
    }
    rows = [
        (labels[kind], str(voucher.get("voucherNumber") or reference_number or "")),
        ("Datum", german_date(voucher.get("voucherDate"))),
    ]
    shipping = voucher.get("shippingConditions") or {}
    if shipping.get("shippingDate"):
        when = german_date(shipping["shippingDate"])
        if shipping.get("shippingEndDate"):
            when += " - " + german_date(shipping["shippingEndDate"])
        rows.append(
            (
                "Leistungsdatum"
                if "service" in str(shipping.get("shippingType"))
                else "Lieferdatum",
                when,
            )
        )
    if voucher.get("dueDate"):
        rows.append(("Fällig am", german_date(voucher["dueDate"])))
    if voucher.get("expirationDate"):
        rows.append(("Gültig bis", german_date(voucher["expirationDate"])))
    if voucher.get("xRechnung"):
        rows.append(("Leitweg-ID", str(voucher["xRechnung"].get("buyerReference"))))
    return rows


def _items(pdf: _Document, voucher: dict[str, Any], with_prices: bool) -> None:
    widths = (12, 76, 22, 30, 30) if with_prices else (12, 118, 40)
    headers = (
        ("Pos.", "Bezeichnung", "Menge", "Einzelpreis", "Betrag")
        if with_prices
        else ("Pos.", "Bezeichnung", "Menge")
    )
    pdf.font(9, bold=True)
    for width, header in zip(widths, headers, strict=True):
        pdf.cell(
            width,
            7,
            pdf.clean(header),
            border="B",
            align="R" if header in {"Menge", "Einzelpreis", "Betrag"} else "L",
        )
    pdf.ln(8)
    gross = voucher["taxConditions"]["taxType"] == "gross"

    def row(item: dict[str, Any], label: str) -> None:
        pdf.font(9)
        name = item.get("name") or ""
        if item.get("optional"):
            name += " (optional)"
        if item.get("alternative"):
            name += " (Alternative)"
        quantity = (
            ""
            if item.get("type") == "text"
            else f"{german_quantity(item.get('quantity', 0))} {item.get('unitName', '')}"
        )
        cells = [label, name, quantity]
        if with_prices:
            unit = item.get("unitPrice") or {}
            price = unit.get("grossAmount" if gross else "netAmount")
            cells.append("" if price is None else pdf.euro(price))
            amount = item.get("lineItemAmount")
            cells.append("" if amount is None else pdf.euro(amount))
        for width, text in zip(widths, cells, strict=True):
            pdf.cell(width, 6, pdf.clean(text)[:60], align="L" if width in (12, 76, 118) else "R")
        pdf.ln(6)
        extra = []
        if item.get("description"):
            extra.append(str(item["description"]))
        if item.get("discountPercentage"):
            extra.append(f"Rabatt {german_number(item['discountPercentage'])} %")
        if extra:
            pdf.set_x(pdf.l_margin + widths[0])
            pdf.font(8)
            pdf.multi_cell(widths[1], 4, pdf.clean("\n".join(extra)), new_x="LMARGIN", new_y="NEXT")

    for position, item in enumerate(voucher.get("lineItems", []), start=1):
        row(item, str(position))
        for index, sub in enumerate(item.get("subItems") or [], start=1):
            row(sub, f"{position}.{index}")


def _totals(pdf: _Document, voucher: dict[str, Any]) -> None:
    total = voucher.get("totalPrice") or {}
    gross = voucher["taxConditions"]["taxType"] == "gross"
    rows: list[tuple[str, str, bool]] = []
    if total.get("totalDiscountAbsolute"):
        rows.append(("Gesamtrabatt", "- " + pdf.euro(total["totalDiscountAbsolute"]), False))
    rows.append(("Gesamtbetrag netto", pdf.euro(total.get("totalNetAmount", 0)), False))
    for group in voucher.get("taxAmounts", []):
        label = "enthaltene" if gross else "zzgl."
        rate = german_quantity(group["taxRatePercentage"])
        rows.append(
            (
                f"{label} Umsatzsteuer {rate} % auf {pdf.euro(group['netAmount'])}",
                pdf.euro(group["taxAmount"]),
                False,
            )
        )
    rows.append(("Gesamtbetrag", pdf.euro(total.get("totalGrossAmount", 0)), True))
    pdf.ln(3)
    for label, value, bold in rows:
        pdf.font(10, bold)
        pdf.cell(120, 6, pdf.clean(label), align="R")
        pdf.cell(50, 6, pdf.clean(value), align="R")
        pdf.ln(6)


def render_pdf(
    voucher: dict[str, Any],
    *,
    company_name: str,
    profile: dict[str, Any],
    reference_number: str | None = None,
) -> bytes:
    """PDF bytes for a sales voucher dict (API shape). `reference_number`: the dunned invoice."""
    kind = str(voucher["_type"])
    pdf = _Document()
    pdf.set_title(
        f"{DOCUMENT_TITLES[kind]} {voucher.get('voucherNumber') or reference_number or ''}".strip()
    )
    pdf.set_author(company_name)
    pdf.set_creator("lexware.simulator")
    pdf.add_page()
    pdf.line_text(company_name, 14, bold=True, height=7)
    pdf.line_text(_sender(profile, company_name), 7)
    pdf.ln(8)
    for line in _recipient_lines(voucher.get("address") or {}):
        pdf.line_text(line, 10)
    pdf.ln(6)
    for label, value in _meta_rows(voucher, kind, reference_number):
        pdf.font(9)
        pdf.cell(120, 5, "")
        pdf.cell(25, 5, pdf.clean(label))
        pdf.cell(25, 5, pdf.clean(value), align="R")
        pdf.ln(5)
    pdf.ln(4)
    title = voucher.get("title") or DOCUMENT_TITLES[kind]
    number = voucher.get("voucherNumber") or reference_number
    pdf.line_text(f"{title} {number}" if number else title, 14, bold=True, height=8)
    if voucher.get("electronicDocumentProfile") == "XRechnung":
        pdf.line_text("Vorschau – keine gültige E-Rechnung; maßgeblich ist die XRechnung-Datei.", 8)
    if voucher.get("introduction"):
        pdf.line_text(voucher["introduction"], 10)
    pdf.ln(3)
    with_prices = kind != "deliverynote"
    _items(pdf, voucher, with_prices)
    if with_prices:
        _totals(pdf, voucher)
    pdf.ln(4)
    tax_note = (voucher.get("taxConditions") or {}).get("taxTypeNote")
    if tax_note:
        pdf.line_text(tax_note, 9)
    payment = voucher.get("paymentConditions") or {}
    if payment.get("paymentTermLabel"):
        pdf.line_text(payment["paymentTermLabel"], 9)
    if voucher.get("deliveryTerms"):
        pdf.line_text(voucher["deliveryTerms"], 9)
    if voucher.get("remark"):
        pdf.line_text(voucher["remark"], 10)
    return bytes(pdf.output())
