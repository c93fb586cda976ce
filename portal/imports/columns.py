"""The columns of contact and article files, and the mapping row ↔ Lexware JSON.

One definition serves the import, the downloadable templates and the export, so a file the
portal exported can be imported again. lexware-api.md documents no import file format, so
the headings are the German ones of Lexware Office's own contact and article import dialogs
as far as they are known (README "Import and export"); the values follow the JSON of §5.5
(contacts) and §5.4 (articles). A heading is never translated: the file format is German
whatever the page language, as in Lexware Office.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

CONTACTS, ARTICLES = "contacts", "articles"
YES, NO = "ja", "nein"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str


CONTACT_COLUMNS: tuple[Column, ...] = (
    Column("customer_number", "Kundennummer"),
    Column("vendor_number", "Lieferantennummer"),
    Column("is_customer", "Kunde"),
    Column("is_vendor", "Lieferant"),
    Column("company_name", "Firmenname"),
    Column("salutation", "Anrede"),
    Column("first_name", "Vorname"),
    Column("last_name", "Nachname"),
    Column("tax_number", "Steuernummer"),
    Column("vat_id", "USt-IdNr."),
    Column("allow_tax_free", "Steuerfreie Rechnungen erlaubt"),
    Column("street", "Straße"),
    Column("supplement", "Adresszusatz"),
    Column("zip", "PLZ"),
    Column("city", "Ort"),
    Column("country_code", "Land"),
    Column("shipping_street", "Lieferadresse Straße"),
    Column("shipping_zip", "Lieferadresse PLZ"),
    Column("shipping_city", "Lieferadresse Ort"),
    Column("shipping_country_code", "Lieferadresse Land"),
    Column("email", "E-Mail"),
    Column("phone", "Telefon"),
    Column("mobile", "Mobil"),
    Column("fax", "Fax"),
    Column("buyer_reference", "Leitweg-ID"),
    Column("vendor_number_at_customer", "Lieferantennummer beim Kunden"),
    Column("note", "Notiz"),
)

ARTICLE_COLUMNS: tuple[Column, ...] = (
    Column("article_number", "Artikelnummer"),
    Column("title", "Bezeichnung"),
    Column("description", "Beschreibung"),
    Column("type", "Typ"),
    Column("unit_name", "Einheit"),
    Column("gtin", "GTIN"),
    Column("net_price", "Nettopreis"),
    Column("gross_price", "Bruttopreis"),
    Column("leading_price", "Preisführung"),
    Column("tax_rate", "Steuersatz"),
    Column("note", "Notiz"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {CONTACTS: CONTACT_COLUMNS, ARTICLES: ARTICLE_COLUMNS}
# The column that matches a row to an existing mirror record.
MATCH_COLUMN = {CONTACTS: "customer_number", ARTICLES: "article_number"}

ARTICLE_TYPES = {"PRODUCT": "Produkt", "SERVICE": "Dienstleistung"}
LEADING_PRICES = {"NET": "Netto", "GROSS": "Brutto"}


def headings(kind: str) -> list[str]:
    return [column.heading for column in COLUMNS[kind]]


def _heading_key(text: str) -> str:
    return " ".join(str(text).replace("\ufeff", "").split()).casefold()


def column_for_heading(kind: str) -> dict[str, str]:
    """Heading (case and spacing ignored) or the column's key → the column's key."""
    lookup: dict[str, str] = {}
    for column in COLUMNS[kind]:
        lookup[_heading_key(column.heading)] = column.key
        lookup[_heading_key(column.key)] = column.key
    return lookup


def match_headings(kind: str, file_headings: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which file column holds which of ours (by position), and the headings we do not know."""
    lookup = column_for_heading(kind)
    positions: dict[int, str] = {}
    unknown: list[str] = []
    for position, heading in enumerate(file_headings):
        key = lookup.get(_heading_key(heading))
        if key is None or key in positions.values():
            if str(heading).strip():
                unknown.append(str(heading))
            continue
        positions[position] = key
    return positions, unknown


# ------------------------------------------------------------------ Lexware JSON → row


def german_decimal(value: Any) -> str:
    """2 decimals or more as Lexware stores them, with a decimal comma (German Excel)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = (
        f"{number:.2f}" if number == number.quantize(Decimal("0.01")) else f"{number.normalize():f}"
    )
    return text.replace(".", ",")


def _yes(flag: bool) -> str:
    return YES if flag else NO


def _first(values: Any) -> str:
    if isinstance(values, list) and values:
        return str(values[0] or "")
    return ""


def contact_row(data: Mapping[str, Any]) -> dict[str, str]:
    """A Lexware contact (§5.5) as the cells of one row, by column key."""
    roles = data.get("roles") or {}
    company = data.get("company") or {}
    person = data.get("person") or {}
    persons = company.get("contactPersons") or []
    named = persons[0] if persons else person
    billing = ((data.get("addresses") or {}).get("billing") or [{}])[0] or {}
    shipping = ((data.get("addresses") or {}).get("shipping") or [{}])[0] or {}
    emails = data.get("emailAddresses") or {}
    phones = data.get("phoneNumbers") or {}
    xrechnung = data.get("xRechnung") or {}
    email = next(
        (
            _first(emails.get(k))
            for k in ("business", "office", "private", "other")
            if _first(emails.get(k))
        ),
        "",
    )
    phone = next(
        (
            _first(phones.get(k))
            for k in ("business", "office", "private", "other")
            if _first(phones.get(k))
        ),
        "",
    )
    number = (roles.get("customer") or {}).get("number")
    vendor_number = (roles.get("vendor") or {}).get("number")
    return {
        "customer_number": "" if number is None else str(number),
        "vendor_number": "" if vendor_number is None else str(vendor_number),
        "is_customer": _yes("customer" in roles),
        "is_vendor": _yes("vendor" in roles),
        "company_name": str(company.get("name") or ""),
        "salutation": str(named.get("salutation") or ""),
        "first_name": str(named.get("firstName") or ""),
        "last_name": str(named.get("lastName") or ""),
        "tax_number": str(company.get("taxNumber") or ""),
        "vat_id": str(company.get("vatRegistrationId") or ""),
        "allow_tax_free": _yes(bool(company.get("allowTaxFreeInvoices"))) if company else "",
        "street": str(billing.get("street") or ""),
        "supplement": str(billing.get("supplement") or ""),
        "zip": str(billing.get("zip") or ""),
        "city": str(billing.get("city") or ""),
        "country_code": str(billing.get("countryCode") or ""),
        "shipping_street": str(shipping.get("street") or ""),
        "shipping_zip": str(shipping.get("zip") or ""),
        "shipping_city": str(shipping.get("city") or ""),
        "shipping_country_code": str(shipping.get("countryCode") or ""),
        "email": email,
        "phone": phone,
        "mobile": _first(phones.get("mobile")),
        "fax": _first(phones.get("fax")),
        "buyer_reference": str(xrechnung.get("buyerReference") or ""),
        "vendor_number_at_customer": str(xrechnung.get("vendorNumberAtCustomer") or ""),
        "note": str(data.get("note") or ""),
    }


def article_row(data: Mapping[str, Any]) -> dict[str, str]:
    """A Lexware article (§5.4) as the cells of one row, by column key."""
    price = data.get("price") or {}
    tax_rate = price.get("taxRate")
    return {
        "article_number": str(data.get("articleNumber") or ""),
        "title": str(data.get("title") or ""),
        "description": str(data.get("description") or ""),
        "type": ARTICLE_TYPES.get(str(data.get("type") or ""), str(data.get("type") or "")),
        "unit_name": str(data.get("unitName") or ""),
        "gtin": str(data.get("gtin") or ""),
        "net_price": german_decimal(price.get("netPrice")),
        "gross_price": german_decimal(price.get("grossPrice")),
        "leading_price": LEADING_PRICES.get(str(price.get("leadingPrice") or ""), ""),
        "tax_rate": ""
        if tax_rate is None
        else f"{Decimal(str(tax_rate)).normalize():f}".replace(".", ","),
        "note": str(data.get("note") or ""),
    }


ROW_FROM_LEXWARE = {CONTACTS: contact_row, ARTICLES: article_row}


def cells(kind: str, data: Mapping[str, Any]) -> list[str]:
    """One exported row in the order of the headings."""
    row = ROW_FROM_LEXWARE[kind](data)
    return [row[column.key] for column in COLUMNS[kind]]
