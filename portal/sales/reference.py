"""Reads for the editor's document settings: print layouts (§5.18), what the profile allows
(§5.19 `businessFeatures`), a country's tax classification (§5.6) and a contact's XRechnung
data (§5.5). From the reference and contact mirrors; never calls Lexware."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from portal.contacts.models import Contact
from portal.organizations.models import LexwareConnection, Organization
from portal.reference.models import ReferenceItem

INVOICING_PRO = "INVOICING_PRO"
# Countries whose customers get German documents when a contact is chosen; others get English
# (the public API keeps no language on a contact, §5.5, so the country decides).
GERMAN_SPEAKING = frozenset({"DE", "AT", "CH", "LI"})


@dataclass(frozen=True)
class PrintLayout:
    id: str
    name: str
    default: bool


def print_layouts(*, organization: Organization) -> list[PrintLayout]:
    """The organization's print layouts as the last sync saw them, the default first."""
    rows = ReferenceItem.objects.filter(
        organization=organization, kind=ReferenceItem.Kind.PRINT_LAYOUT
    )
    layouts = [
        PrintLayout(
            id=str(r.raw["id"]),
            name=str(r.raw.get("name") or r.name),
            default=bool(r.raw.get("default")),
        )
        for r in rows
        if isinstance(r.raw, dict) and r.raw.get("id")
    ]
    return sorted(layouts, key=lambda layout: (not layout.default, layout.name.casefold()))


def _profile(organization: Organization) -> dict[str, Any]:
    item = ReferenceItem.objects.filter(
        organization=organization, kind=ReferenceItem.Kind.PROFILE
    ).first()
    if item is not None and isinstance(item.raw, dict) and item.raw:
        return dict(item.raw)
    connection = LexwareConnection.objects.filter(organization=organization).first()
    return dict(connection.profile or {}) if connection else {}


def invoicing_pro(*, organization: Organization) -> bool:
    """Whether English documents and print layouts are available (§5.19 `INVOICING_PRO`).
    True while the profile has not been read (Lexware then decides)."""
    profile = _profile(organization)
    features = profile.get("businessFeatures")
    if not profile or not isinstance(features, list):
        return True
    return INVOICING_PRO in features


def tax_classification(*, organization: Organization, country_code: str) -> str:
    """`de`, `intraCommunity` or `thirdPartyCountry` (§5.6); "" when the country is unknown."""
    code = country_code.strip().upper()
    if code == "DE":
        return "de"
    item = ReferenceItem.objects.filter(
        organization=organization, kind=ReferenceItem.Kind.COUNTRY, key=code
    ).first()
    if item is None or not isinstance(item.raw, dict):
        return ""
    return str(item.raw.get("taxClassification") or "")


@dataclass(frozen=True)
class XRechnung:
    buyer_reference: str
    vendor_number: str


def contact_xrechnung(
    *, organization: Organization, contact_id: UUID | str | None
) -> XRechnung | None:
    """The contact's XRechnung data when it has both a buyer reference and a vendor number
    (§5.13: only then does referencing it make an XRechnung)."""
    if not contact_id:
        return None
    try:
        lexware_id = UUID(str(contact_id))
    except ValueError:
        return None
    contact = Contact.objects.filter(
        organization=organization, lexware_id=lexware_id, deleted_at__isnull=True
    ).first()
    data = ((contact.raw or {}) if contact else {}).get("xRechnung") or {}
    if not isinstance(data, dict):
        return None
    reference = str(data.get("buyerReference") or "")
    vendor = str(data.get("vendorNumberAtCustomer") or "")
    if not reference or not vendor:
        return None
    return XRechnung(buyer_reference=reference, vendor_number=vendor)
