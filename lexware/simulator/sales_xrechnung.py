"""XRechnung rules of sales vouchers (lexware-api.md §5.13).

`buyer_reference` decides whether an invoice or credit note becomes an XRechnung (the
contact's Leitweg-ID, or the `xRechnung` override sent with an invoice);
`xrechnung_prerequisites` lists what blocks finalizing it. The XML itself is `xrechnung.py`.
"""

from __future__ import annotations

from typing import Any

from lexware.simulator.sales_checker import Problem
from lexware.simulator.state import Tenant

XRECHNUNG_KINDS = {"invoice", "creditnote"}


def buyer_reference(
    kind: str, body: dict[str, Any], tenant: Tenant
) -> tuple[str | None, list[Problem]]:
    """§5.13: the XRechnung buyer reference (Leitweg-ID) of this document, or None."""
    if kind not in XRECHNUNG_KINDS:
        return None, []
    contact_id = (body.get("address") or {}).get("contactId")
    contact = tenant.contacts.get(str(contact_id)) if contact_id else None
    data = (contact or {}).get("xRechnung") or {}
    contact_ref = (
        data.get("buyerReference")
        if data.get("buyerReference") and data.get("vendorNumberAtCustomer")
        else None
    )
    sent = body.get("xRechnung") if kind == "invoice" else None
    if isinstance(sent, dict) and "buyerReference" in sent:
        ref = sent.get("buyerReference")
        if ref in ("", None):
            return None, []  # "" = a standard invoice for an XRechnung contact
        if contact_ref is None:
            return None, [
                ("xRechnung.buyerReference", "INVALID_VALUE", "Kontakt hat keine XRechnung-Daten")
            ]
        return str(ref), []
    return contact_ref, []


def xrechnung_prerequisites(voucher: dict[str, Any], tenant: Tenant) -> list[Problem]:
    """§5.13 prerequisites, checked at finalization only (since 01.08.2024)."""
    problems: list[Problem] = []
    if voucher["taxConditions"]["taxType"] != "net":
        problems.append(
            ("taxConditions.taxType", "XRECHNUNG", "XRechnung erfordert die Steuerart net")
        )
    contact = tenant.contacts.get(str(voucher["address"].get("contactId")))
    billing = ((contact or {}).get("addresses") or {}).get("billing") or [{}]
    if not billing[0].get("zip") or not billing[0].get("city"):
        problems.append(
            ("address", "XRECHNUNG", "Rechnungsadresse des Kontakts braucht PLZ und Ort")
        )
    if not any(item.get("type") != "text" for item in voucher["lineItems"]):
        problems.append(("lineItems", "XRECHNUNG", "mindestens eine Position erforderlich"))
    if not tenant.company_name:
        problems.append(("organization", "XRECHNUNG", "Firmenname der Organisation fehlt"))
    return problems
