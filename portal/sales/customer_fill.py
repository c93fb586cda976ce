"""What choosing a customer fills in besides the address (issue 11 item 1): language, tax
settings, payment terms and the XRechnung buyer reference, from the contact in the mirror.

Lexware's contacts carry no language, payment terms or tax type (§5.5), so:
  * language: German for customers in DE/AT/CH/LI, else English (when the organization may
    write English documents, §5.19 INVOICING_PRO);
  * tax type: from the country's tax classification (§5.6) and the contact's VAT ID —
    an EU company with a VAT ID gets intra-community supply, a third country a third-country
    service or delivery (by the shipping type); back to net from such a type for a German one.
    Tax-exempt organizations and Kleinunternehmer stay vat-free;
  * payment terms: "Lexware's default", which applies the contact's own terms (§5.1), unless
    terms were written by hand;
  * buyer reference: the contact's XRechnung buyer reference (§5.13).
"""

from __future__ import annotations

from typing import Any

from portal.contacts.models import Contact
from portal.organizations.models import Organization
from portal.sales import reference, selectors
from portal.sales.document_settings import ENGLISH, GERMAN
from portal.sales.types import SalesType
from portal.sales.vouchers import CUSTOM_TERMS, DEFAULT_TERMS, NET, VAT_FREE_TYPES, VATFREE

_DELIVERIES = {"delivery", "deliveryperiod"}


def fill_from_contact(
    header: dict[str, str],
    lines: list[dict[str, str]],
    *,
    contact: Contact,
    organization: Organization,
    sales_type: SalesType,
) -> None:
    raw: dict[str, Any] = contact.raw or {}
    country = (header.get("address_country") or contact.country_code or "DE").upper()
    if country in reference.GERMAN_SPEAKING or not reference.invoicing_pro(
        organization=organization
    ):
        header["language"] = GERMAN
    else:
        header["language"] = ENGLISH
    header["tax_type"] = _tax_type(header, raw, country, organization=organization)
    if header["tax_type"] in VAT_FREE_TYPES:
        for line in lines:  # §8.4: vat-free types have 0 % on every line
            if line.get("type") != "text":
                line["tax_rate"] = "0"
    if header.get("payment_terms") != CUSTOM_TERMS:
        header["payment_terms"] = DEFAULT_TERMS
    xrechnung: dict[str, Any] = raw["xRechnung"] if isinstance(raw.get("xRechnung"), dict) else {}
    has_xrechnung = bool(
        xrechnung and xrechnung.get("buyerReference") and xrechnung.get("vendorNumberAtCustomer")
    )
    is_invoice = sales_type.voucher_type == "invoice"
    header["buyer_reference"] = (
        str(xrechnung["buyerReference"]) if has_xrechnung and is_invoice else ""
    )
    header["standard_invoice"] = ""


def clear_contact(header: dict[str, str]) -> None:
    """A one-time address instead of the contact: what came from the contact goes with it."""
    header.update(contact_id="", buyer_reference="", standard_invoice="")


def _tax_type(
    header: dict[str, str], raw: dict[str, Any], country: str, *, organization: Organization
) -> str:
    current = header.get("tax_type") or NET
    if selectors.tax_profile(organization=organization).vat_free_only:
        return VATFREE
    classification = reference.tax_classification(organization=organization, country_code=country)
    company: dict[str, Any] = raw["company"] if isinstance(raw.get("company"), dict) else {}
    if classification == "intraCommunity" and company.get("vatRegistrationId"):
        return "intraCommunitySupply"
    if classification == "thirdPartyCountry":
        if header.get("shipping_type") in _DELIVERIES:
            return "thirdPartyCountryDelivery"
        return "thirdPartyCountryService"
    if current in VAT_FREE_TYPES and current != VATFREE:
        return NET  # a special type chosen for the previous customer does not fit this one
    return current
