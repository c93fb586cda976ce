"""The printed words of a preview or statement, per document language (lexware-api.md §8.5:
`de` or `en`). The PDF speaks the document's language, not the user's, so these are not
gettext strings: the customer reads them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Labels:
    language: str
    mark: str
    types: dict[str, str]
    number: str
    draft: str
    date: str
    due_date: str
    expiration_date: str
    customer_number: str
    shipping: dict[str, str]
    position: str
    description: str
    quantity: str
    unit_price: str
    discount: str
    amount: str
    optional: str
    alternative: str
    total_net: str
    total_gross: str
    total_discount: str
    plus_tax: str  # "{rate} on {base}"
    included_tax: str
    payable: str
    page: str  # "{page} / {pages}"
    bank: str
    tax_number: str
    vat_id: str
    managing_directors: str
    statement_title: str
    statement_intro: str
    statement_columns: tuple[str, ...]
    statement_total: str
    statement_empty: str
    statement_as_of: str
    days: str

    def money(self, value: Decimal | float | int | str | None, currency: str = "EUR") -> str:
        amount = Decimal(str(value or 0)).quantize(Decimal("0.01"))
        sign = "-" if amount < 0 else ""
        whole, _, cents = f"{abs(amount):.2f}".partition(".")
        groups = f"{int(whole):,}"
        symbol = "€" if currency == "EUR" else currency
        if self.language == "de":
            return f"{sign}{groups.replace(',', '.')},{cents} {symbol}"
        return (
            f"{sign}{symbol}{groups}.{cents}"
            if symbol == "€"
            else f"{sign}{groups}.{cents} {symbol}"
        )

    def number_text(self, value: Decimal | float | int | str | None) -> str:
        number = Decimal(str(value or 0)).normalize()
        text = f"{number:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        whole, _, fraction = text.partition(".")
        negative = whole.startswith("-")
        grouped = f"{int(whole.lstrip('-') or 0):,}"
        if self.language == "de":
            grouped = grouped.replace(",", ".")
        separator = "," if self.language == "de" else "."
        return ("-" if negative else "") + grouped + (separator + fraction if fraction else "")

    def percent(self, value: Decimal | float | int | str | None) -> str:
        return (
            f"{self.number_text(value)} %"
            if self.language == "de"
            else f"{self.number_text(value)}%"
        )

    def day(self, value: dt.date | None) -> str:
        if value is None:
            return "–"
        return value.strftime("%d.%m.%Y") if self.language == "de" else value.strftime("%d %b %Y")


GERMAN = Labels(
    language="de",
    mark="Entwurf / Vorschau – keine Rechnung",
    types={
        "invoice": "Rechnung",
        "downpaymentinvoice": "Abschlagsrechnung",
        "creditnote": "Rechnungskorrektur",
        "quotation": "Angebot",
        "orderconfirmation": "Auftragsbestätigung",
        "deliverynote": "Lieferschein",
        "dunning": "Mahnung",
    },
    number="Nummer",
    draft="Entwurf",
    date="Datum",
    due_date="Fällig am",
    expiration_date="Gültig bis",
    customer_number="Kundennummer",
    shipping={
        "service": "Leistungsdatum",
        "serviceperiod": "Leistungszeitraum",
        "delivery": "Lieferdatum",
        "deliveryperiod": "Lieferzeitraum",
    },
    position="Pos.",
    description="Bezeichnung",
    quantity="Menge",
    unit_price="Einzelpreis",
    discount="Rabatt",
    amount="Gesamt",
    optional="optional",
    alternative="Alternative",
    total_net="Gesamtbetrag netto",
    total_gross="Gesamtbetrag brutto",
    total_discount="Gesamtrabatt",
    plus_tax="zzgl. Umsatzsteuer {rate} auf {base}",
    included_tax="darin enthaltene Umsatzsteuer {rate} auf {base}",
    payable="Zahlungsbedingungen",
    page="Seite {page} von {pages}",
    bank="Bankverbindung",
    tax_number="Steuernummer",
    vat_id="USt-IdNr.",
    managing_directors="Geschäftsführung",
    statement_title="Kontoauszug – offene Posten",
    statement_intro="Stand {day}: diese Rechnungen sind bei uns noch offen.",
    statement_columns=("Nummer", "Datum", "Fällig am", "Betrag", "Offen", "Tage überfällig"),
    statement_total="Offen insgesamt",
    statement_empty="Zurzeit sind keine Rechnungen offen. Vielen Dank!",
    statement_as_of="Stand",
    days="Tage",
)

ENGLISH = Labels(
    language="en",
    mark="Draft / preview – not an invoice",
    types={
        "invoice": "Invoice",
        "downpaymentinvoice": "Down payment invoice",
        "creditnote": "Credit note",
        "quotation": "Quotation",
        "orderconfirmation": "Order confirmation",
        "deliverynote": "Delivery note",
        "dunning": "Payment reminder",
    },
    number="Number",
    draft="Draft",
    date="Date",
    due_date="Due date",
    expiration_date="Valid until",
    customer_number="Customer number",
    shipping={
        "service": "Service date",
        "serviceperiod": "Service period",
        "delivery": "Delivery date",
        "deliveryperiod": "Delivery period",
    },
    position="No.",
    description="Description",
    quantity="Qty",
    unit_price="Unit price",
    discount="Disc.",
    amount="Amount",
    optional="optional",
    alternative="Alternative",
    total_net="Total net",
    total_gross="Total gross",
    total_discount="Total discount",
    plus_tax="plus VAT {rate} on {base}",
    included_tax="includes VAT {rate} on {base}",
    payable="Payment terms",
    page="Page {page} of {pages}",
    bank="Bank account",
    tax_number="Tax number",
    vat_id="VAT ID",
    managing_directors="Managing directors",
    statement_title="Statement of account – open items",
    statement_intro="As of {day}, these invoices are still open with us.",
    statement_columns=("Number", "Date", "Due date", "Amount", "Open", "Days overdue"),
    statement_total="Total open",
    statement_empty="No invoices are open at the moment. Thank you!",
    statement_as_of="As of",
    days="days",
)


def labels_for(language: str | None) -> Labels:
    return ENGLISH if language == "en" else GERMAN
