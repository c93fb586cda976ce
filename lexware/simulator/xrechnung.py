"""XRechnung 3.0 (UBL 2.1 Invoice / CreditNote) for e-invoices with a buyer reference (§5.3, §5.13).

Built from the stored voucher with the same totals as the API response, so the XML and the
JSON always agree: line net amounts = `lineItemAmount`, document allowances = the per-rate
total discounts, tax subtotals = `taxAmounts`. Only `net` documents get here (XRechnung
prerequisite), so tax categories are S (rate > 0) or Z (0 %).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from lexware.simulator.timefmt import BERLIN, parse_datetime
from lexware.totals import HUNDRED, ZERO, round2, split_proportionally, to_decimal

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# UN/ECE Rec 20 codes for common German unit names; anything else is a "piece" (H87/C62).
UNIT_CODES = {
    "stück": "H87",
    "stk": "H87",
    "stunde": "HUR",
    "stunden": "HUR",
    "std": "HUR",
    "tag": "DAY",
    "tage": "DAY",
    "monat": "MON",
    "monate": "MON",
    "jahr": "ANN",
    "kg": "KGM",
    "kilogramm": "KGM",
    "m": "MTR",
    "meter": "MTR",
    "l": "LTR",
    "liter": "LTR",
    "pauschal": "LS",
    "pauschale": "LS",
    "km": "KMT",
    "minute": "MIN",
    "minuten": "MIN",
    "woche": "WEE",
    "m²": "MTK",
    "m2": "MTK",
}

ET.register_namespace("cac", NS["cac"])
ET.register_namespace("cbc", NS["cbc"])


def _amount(value: Decimal) -> str:
    return f"{round2(value):.2f}"


def _date(value: str | None) -> str | None:
    return parse_datetime(value).astimezone(BERLIN).date().isoformat() if value else None


class _Builder:
    def __init__(self, root_name: str) -> None:
        ET.register_namespace("", NS[root_name])
        self.root = ET.Element(f"{{{NS[root_name]}}}{root_name}")

    def cbc(self, parent: ET.Element, name: str, text: Any, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{NS['cbc']}}}{name}", attrs)
        element.text = str(text)
        return element

    def cac(self, parent: ET.Element, name: str) -> ET.Element:
        return ET.SubElement(parent, f"{{{NS['cac']}}}{name}")

    def money(self, parent: ET.Element, name: str, value: Decimal) -> None:
        self.cbc(parent, name, _amount(value), currencyID="EUR")

    def tax_category(self, parent: ET.Element, name: str, rate: Decimal) -> None:
        category = self.cac(parent, name)
        self.cbc(category, "ID", "S" if rate > 0 else "Z")
        self.cbc(category, "Percent", f"{rate.normalize():f}")
        self.cbc(self.cac(category, "TaxScheme"), "ID", "VAT")

    def party(self, parent: ET.Element, role: str, data: dict[str, Any]) -> None:
        party = self.cac(self.cac(parent, role), "Party")
        if data.get("email"):
            self.cbc(party, "EndpointID", data["email"], schemeID="EM")
        if data.get("identifier"):
            self.cbc(self.cac(party, "PartyIdentification"), "ID", data["identifier"])
        self.cbc(self.cac(party, "PartyName"), "Name", data["name"])
        address = self.cac(party, "PostalAddress")
        for key, tag in (("street", "StreetName"), ("city", "CityName"), ("zip", "PostalZone")):
            if data.get(key):
                self.cbc(address, tag, data[key])
        self.cbc(
            self.cac(address, "Country"), "IdentificationCode", data.get("countryCode") or "DE"
        )
        if data.get("vatId"):
            scheme = self.cac(party, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", data["vatId"])
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        self.cbc(self.cac(party, "PartyLegalEntity"), "RegistrationName", data["name"])
        if data.get("contactName") or data.get("phone"):
            contact = self.cac(party, "Contact")
            for key, tag in (
                ("contactName", "Name"),
                ("phone", "Telephone"),
                ("email", "ElectronicMail"),
            ):
                if data.get(key):
                    self.cbc(contact, tag, data[key])


def _seller(company_name: str, profile: dict[str, Any]) -> dict[str, Any]:
    raw = profile.get("_address")
    address: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return {
        "name": company_name,
        "street": address.get("street") or "Musterstraße 1",
        "zip": address.get("zip") or "10115",
        "city": address.get("city") or "Berlin",
        "countryCode": address.get("countryCode") or "DE",
        "vatId": profile.get("_vatRegistrationId") or "DE123456789",
        "email": profile.get("_email") or "rechnung@example.org",
        "phone": profile.get("_phone") or "030 1234567",
        "contactName": company_name,
    }


def _buyer(voucher: dict[str, Any], contact: dict[str, Any] | None) -> dict[str, Any]:
    address = voucher.get("address") or {}
    emails = (contact or {}).get("emailAddresses") or {}
    email = next((v[0] for v in emails.values() if v), None)
    return {
        "name": address.get("name") or "",
        "street": address.get("street"),
        "zip": address.get("zip"),
        "city": address.get("city"),
        "countryCode": address.get("countryCode"),
        "vatId": ((contact or {}).get("company") or {}).get("vatRegistrationId"),
        "email": email,
        "identifier": str(address["contactId"]) if address.get("contactId") else None,
        "contactName": address.get("contactPerson"),
    }


def render_xrechnung(
    voucher: dict[str, Any],
    *,
    company_name: str,
    profile: dict[str, Any],
    contact: dict[str, Any] | None,
    preceding_number: str | None = None,
) -> bytes:
    """UTF-8 XML bytes of an invoice (UBL Invoice, type 380) or credit note (CreditNote, 381)."""
    credit = voucher["_type"] == "creditnote"
    b = _Builder("CreditNote" if credit else "Invoice")
    root = b.root
    b.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    b.cbc(root, "ProfileID", PROFILE_ID)
    b.cbc(root, "ID", voucher.get("voucherNumber") or voucher["id"])
    b.cbc(root, "IssueDate", _date(voucher["voucherDate"]))
    if voucher.get("dueDate") and not credit:
        b.cbc(root, "DueDate", _date(voucher["dueDate"]))
    b.cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    for text in (voucher.get("introduction"), voucher.get("remark")):
        if text:
            b.cbc(root, "Note", text)
    b.cbc(root, "DocumentCurrencyCode", "EUR")
    b.cbc(root, "BuyerReference", (voucher.get("xRechnung") or {}).get("buyerReference", ""))
    if preceding_number:
        b.cbc(
            b.cac(b.cac(root, "BillingReference"), "InvoiceDocumentReference"),
            "ID",
            preceding_number,
        )
    seller = _seller(company_name, profile)
    b.party(root, "AccountingSupplierParty", seller)
    b.party(root, "AccountingCustomerParty", _buyer(voucher, contact))
    shipping = voucher.get("shippingConditions") or {}
    if shipping.get("shippingDate"):
        b.cbc(b.cac(root, "Delivery"), "ActualDeliveryDate", _date(shipping["shippingDate"]))
    means = b.cac(root, "PaymentMeans")
    b.cbc(means, "PaymentMeansCode", "58")
    account = b.cac(means, "PayeeFinancialAccount")
    b.cbc(account, "ID", profile.get("_iban") or "DE02120300000000202051")
    b.cbc(account, "Name", company_name)
    label = (voucher.get("paymentConditions") or {}).get("paymentTermLabel")
    if label:
        b.cbc(b.cac(root, "PaymentTerms"), "Note", label)

    groups = voucher.get("taxAmounts") or []
    total = voucher.get("totalPrice") or {}
    rates = [to_decimal(g["taxRatePercentage"]) for g in groups]
    bases = [to_decimal(g["netAmount"]) for g in groups]
    allowance_total = to_decimal(total.get("totalDiscountAbsolute") or 0)
    # Recover the per-rate discounts exactly as the totals engine applied them (same split).
    line_totals: dict[Decimal, Decimal] = {}
    for item in voucher["lineItems"]:
        if item.get("type") != "text" and not item.get("optional"):
            rate = to_decimal(item["unitPrice"]["taxRatePercentage"])
            rate = rate.normalize() if rate != 0 else ZERO
            line_totals[rate] = line_totals.get(rate, ZERO) + to_decimal(item["lineItemAmount"])
    discounts = [
        line_totals.get(r.normalize() if r != 0 else ZERO, ZERO) - base
        for r, base in zip(rates, bases, strict=True)
    ]
    if allowance_total and sum(discounts, ZERO) != allowance_total:
        discounts = split_proportionally(allowance_total, [line_totals.get(r, ZERO) for r in rates])
    for rate, discount in zip(rates, discounts, strict=True):
        if discount:
            allowance = b.cac(root, "AllowanceCharge")
            b.cbc(allowance, "ChargeIndicator", "false")
            b.cbc(allowance, "AllowanceChargeReason", "Gesamtrabatt")
            b.money(allowance, "Amount", discount)
            b.tax_category(allowance, "TaxCategory", rate)

    tax_total = b.cac(root, "TaxTotal")
    b.money(tax_total, "TaxAmount", to_decimal(total.get("totalTaxAmount") or 0))
    for group, rate in zip(groups, rates, strict=True):
        subtotal = b.cac(tax_total, "TaxSubtotal")
        b.money(subtotal, "TaxableAmount", to_decimal(group["netAmount"]))
        b.money(subtotal, "TaxAmount", to_decimal(group["taxAmount"]))
        b.tax_category(subtotal, "TaxCategory", rate)

    line_sum = sum(line_totals.values(), ZERO)
    monetary = b.cac(root, "LegalMonetaryTotal")
    b.money(monetary, "LineExtensionAmount", line_sum)
    b.money(monetary, "TaxExclusiveAmount", to_decimal(total.get("totalNetAmount") or 0))
    b.money(monetary, "TaxInclusiveAmount", to_decimal(total.get("totalGrossAmount") or 0))
    b.money(monetary, "AllowanceTotalAmount", sum(discounts, ZERO))
    b.money(monetary, "PayableAmount", to_decimal(total.get("totalGrossAmount") or 0))

    number = 0
    for item in voucher["lineItems"]:
        if item.get("type") == "text" or item.get("optional"):
            continue
        number += 1
        line = b.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        b.cbc(line, "ID", number)
        unit = UNIT_CODES.get(str(item.get("unitName", "")).strip().lower(), "H87")
        b.cbc(
            line,
            "CreditedQuantity" if credit else "InvoicedQuantity",
            f"{to_decimal(item['quantity']).normalize():f}",
            unitCode=unit,
        )
        b.money(line, "LineExtensionAmount", to_decimal(item["lineItemAmount"]))
        article = b.cac(line, "Item")
        if item.get("description"):
            b.cbc(article, "Description", item["description"])
        b.cbc(article, "Name", item["name"])
        b.tax_category(
            article, "ClassifiedTaxCategory", to_decimal(item["unitPrice"]["taxRatePercentage"])
        )
        price = b.cac(line, "Price")
        list_price = to_decimal(item["unitPrice"]["netAmount"])
        discount = to_decimal(item.get("discountPercentage") or 0)
        net_price = list_price * (1 - discount / HUNDRED)
        b.cbc(price, "PriceAmount", f"{net_price.normalize():f}", currencyID="EUR")
        if discount:
            price_allowance = b.cac(price, "AllowanceCharge")
            b.cbc(price_allowance, "ChargeIndicator", "false")
            b.cbc(
                price_allowance,
                "Amount",
                f"{(list_price - net_price).normalize():f}",
                currencyID="EUR",
            )
            b.cbc(price_allowance, "BaseAmount", f"{list_price.normalize():f}", currencyID="EUR")
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml
