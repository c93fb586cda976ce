"""One imported row checked locally and turned into Lexware's JSON (§5.5 contacts, §5.4
articles), before anything is sent.

The rules are the contact form's (portal/contacts/forms.py: e-mail shape, two-letter country
code, no control characters, a company needs a name, a person a last name, at least one role)
plus the documented ones the form does not show yet (§5.5: VAT id, phone numbers, note ≤ 1000,
XRechnung pair; §5.4: title, type, unit, leading price, tax rate 0/7/19, GTIN check digit).
They live in a row schema of their own so the import does not depend on the form's field names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.contacts.form_rows import email
from portal.imports.columns import ARTICLE_TYPES, ARTICLES, COLUMNS, CONTACTS, LEADING_PRICES

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PHONE = re.compile(r"^[0-9 +()/.\-]{1,30}$")
_VAT_DE = re.compile(r"^DE[0-9]{9}$")
_VAT_OTHER = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,12}$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_TRUE = {"ja", "j", "x", "1", "yes", "y", "true", "wahr"}
_FALSE = {"nein", "n", "0", "no", "false", "falsch", ""}
# Lengths Lexware does not document are the contact form's own limits.
_LENGTHS = {
    "company_name": 250,
    "salutation": 25,
    "first_name": 250,
    "last_name": 250,
    "tax_number": 50,
    "vat_id": 20,
    "street": 250,
    "supplement": 250,
    "zip": 20,
    "city": 100,
    "shipping_street": 250,
    "shipping_zip": 20,
    "shipping_city": 100,
    "email": 254,
    "buyer_reference": 100,
    "vendor_number_at_customer": 100,
    "article_number": 100,
    "title": 255,
    "unit_name": 100,
    "gtin": 14,
}
_MULTILINE = {"note", "description"}


@dataclass
class RowResult:
    data: dict[str, Any] = field(default_factory=dict)
    # (column key, message); an empty list means the row may be sent.
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, message))


def unescape_cell(value: Any) -> str:
    """A cell as text; the apostrophe our export puts before `= + - @` is taken off again."""
    text = "" if value is None else str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def german_decimal(text: str) -> Decimal:
    """`1.234,56`, `1234,56`, `1234.56` and `1.234` (thousands) → Decimal; InvalidOperation else."""
    value = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(value):
        value = value.replace(".", "")
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation(text)
    return number


def _flag(result: RowResult, cells: dict[str, str], key: str) -> bool | None:
    value = cells.get(key, "").casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    result.error(key, _("Enter “ja” or “nein”."))
    return None


def _check_text(result: RowResult, cells: dict[str, str]) -> None:
    for key, value in cells.items():
        limit = 1000 if key in _MULTILINE else _LENGTHS.get(key, 250)
        if len(value) > limit:
            result.error(
                key,
                _("At most %(limit)d characters (this has %(length)d).")
                % {"limit": limit, "length": len(value)},
            )
        elif key not in _MULTILINE and _CONTROL.search(value):
            result.error(key, _("Line breaks and control characters are not allowed."))


def _email(result: RowResult, key: str, value: str) -> None:
    """The contact form's check (Lexware's shape and Django's), its message on the row."""
    try:
        email(value)
    except ValidationError as error:
        result.error(key, " ".join(error.messages))


def _address(result: RowResult, cells: dict[str, str], prefix: str) -> dict[str, str] | None:
    parts = {
        "street": cells.get(f"{prefix}street", ""),
        "supplement": cells.get(f"{prefix}supplement", "") if not prefix else "",
        "zip": cells.get(f"{prefix}zip", ""),
        "city": cells.get(f"{prefix}city", ""),
    }
    country = cells.get(f"{prefix}country_code", "").upper()
    if not any(parts.values()):
        return None
    if not country:
        country = "DE"
    elif not _COUNTRY.match(country):
        result.error(f"{prefix}country_code", _("Enter a two-letter country code, e.g. DE."))
    return {**{k: v for k, v in parts.items() if v}, "countryCode": country}


def contact_from_cells(cells: dict[str, str]) -> RowResult:
    """A contact row → Lexware's contact JSON without `version` (§5.5)."""
    result = RowResult()
    _check_text(result, cells)
    get = cells.get
    body: dict[str, Any] = {}
    customer, vendor = _flag(result, cells, "is_customer"), _flag(result, cells, "is_vendor")
    if "is_customer" not in cells and "is_vendor" not in cells:
        customer = True  # a file without role columns: customers, as the form's default
    roles = [role for role, on in (("customer", customer), ("vendor", vendor)) if on]
    if not roles and customer is not None and vendor is not None:
        result.error("is_customer", _("Choose at least one role."))
    body["roles"] = {role: {} for role in roles}
    person = {
        "salutation": get("salutation", ""),
        "firstName": get("first_name", ""),
        "lastName": get("last_name", ""),
    }
    person = {k: v for k, v in person.items() if v}
    if get("company_name"):
        company: dict[str, Any] = {"name": get("company_name")}
        if get("tax_number"):
            company["taxNumber"] = get("tax_number")
        vat = get("vat_id", "").replace(" ", "").upper()
        if vat:
            if not (_VAT_DE.match(vat) if vat.startswith("DE") else _VAT_OTHER.match(vat)):
                result.error("vat_id", _("Enter a valid VAT ID, e.g. DE123456789."))
            company["vatRegistrationId"] = vat
        tax_free = _flag(result, cells, "allow_tax_free") if get("allow_tax_free") else False
        if tax_free:
            company["allowTaxFreeInvoices"] = True
        if person:
            if not person.get("lastName"):
                result.error("last_name", _("A contact person needs a last name."))
            company["contactPersons"] = [{**person, "primary": True}]
        body["company"] = company
    else:
        if not person.get("lastName"):
            result.error("company_name", _("Enter a company name or a last name."))
        if get("tax_number") or get("vat_id"):
            result.error("vat_id", _("Only a company has a tax number or VAT ID."))
        body["person"] = person
    addresses = {}
    billing = _address(result, cells, "")
    if billing:
        addresses["billing"] = [billing]
    shipping = _address(result, cells, "shipping_")
    if shipping:
        addresses["shipping"] = [shipping]
    if addresses:
        body["addresses"] = addresses
    if get("email"):
        _email(result, "email", get("email", ""))
        body["emailAddresses"] = {"business": [get("email")]}
    phones = {}
    for key, kind in (("phone", "business"), ("mobile", "mobile"), ("fax", "fax")):
        if get(key):
            if not _PHONE.match(get(key, "")):
                result.error(key, _("A phone number has at most 30 digits, spaces and + ( ) / - ."))
            phones[kind] = [get(key)]
    if phones:
        body["phoneNumbers"] = phones
    if get("buyer_reference") or get("vendor_number_at_customer"):
        if get("buyer_reference") and not get("vendor_number_at_customer"):
            result.error(
                "vendor_number_at_customer",
                _("With a Leitweg-ID Lexware needs your vendor number at the customer."),
            )
        body["xRechnung"] = {
            k: v
            for k, v in (
                ("buyerReference", get("buyer_reference")),
                ("vendorNumberAtCustomer", get("vendor_number_at_customer")),
            )
            if v
        }
    if get("note"):
        body["note"] = get("note")
    result.data = body
    return result


def gtin_is_valid(gtin: str) -> bool:
    """GTIN-8/12/13/14 with its check digit (GS1 mod 10)."""
    if not gtin.isascii() or not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    digits = [int(d) for d in gtin]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def _choice(value: str, choices: dict[str, str]) -> str | None:
    wanted = value.casefold()
    for code, german in choices.items():
        if wanted in (code.casefold(), german.casefold()):
            return code
    return None


def article_from_cells(cells: dict[str, str]) -> RowResult:
    """An article row → Lexware's article JSON (§5.4)."""
    result = RowResult()
    _check_text(result, cells)
    get = cells.get
    body: dict[str, Any] = {}
    for key, name in (("title", "title"), ("unit_name", "unitName")):
        if not get(key):
            result.error(key, _("This column is required."))
        body[name] = get(key, "")
    kind = _choice(get("type", ""), ARTICLE_TYPES)
    if kind is None:
        result.error("type", _("Enter “Produkt” or “Dienstleistung”."))
    body["type"] = kind or ""
    for key, name in (
        ("article_number", "articleNumber"),
        ("description", "description"),
        ("note", "note"),
    ):
        if get(key):
            body[name] = get(key)
    if get("gtin"):
        if not gtin_is_valid(get("gtin", "")):
            result.error(
                "gtin", _("This is not a valid GTIN (8, 12, 13 or 14 digits with a check digit).")
            )
        body["gtin"] = get("gtin")
    leading = _choice(get("leading_price", "") or "Netto", LEADING_PRICES)
    if leading is None:
        result.error("leading_price", _("Enter “Netto” or “Brutto”."))
        leading = "NET"
    price: dict[str, Any] = {"leadingPrice": leading}
    amount_key = "net_price" if leading == "NET" else "gross_price"
    try:
        amount = german_decimal(get(amount_key, ""))
        if amount < 0 or amount != amount.quantize(Decimal("0.0001")):
            raise InvalidOperation
        price["netPrice" if leading == "NET" else "grossPrice"] = float(amount)
    except InvalidOperation:
        result.error(amount_key, _("Enter a price such as 49,90."))
    try:
        rate = german_decimal(get("tax_rate", "").rstrip("%") or "19")
        if rate not in (0, 7, 19):
            raise InvalidOperation
        price["taxRate"] = int(rate)
    except InvalidOperation:
        result.error("tax_rate", _("The tax rate must be 0, 7 or 19."))
    body["price"] = price
    result.data = body
    return result


FROM_CELLS = {CONTACTS: contact_from_cells, ARTICLES: article_from_cells}


def heading_of(kind: str, key: str) -> str:
    return next((c.heading for c in COLUMNS[kind] if c.key == key), key)
