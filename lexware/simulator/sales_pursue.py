"""Pursuing sales vouchers (lexware-api.md §5.2): which document may follow which.

`check_pursue` applies the rules table (every violation is a 406), `link` records the pair in
both documents' `relatedVouchers`, and `settle_with_credit_note` books a finalized credit
note against the invoice it corrects.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from lexware.simulator.ledger import EventSink, PaymentError, open_amount, record_payment
from lexware.simulator.sales_checker import Problem
from lexware.simulator.state import Tenant

# §5.2 pursue graph: target kind → kinds it may follow.
PURSUE_SOURCES = {
    "invoice": {"quotation", "orderconfirmation", "deliverynote"},
    "creditnote": {"invoice"},
    "deliverynote": {"quotation", "orderconfirmation", "invoice"},
    "orderconfirmation": {"quotation"},
    "dunning": {"invoice", "downpaymentinvoice"},
}


def _has_optional_items(voucher: dict[str, Any]) -> bool:
    return any(
        item.get("optional") or item.get("subItems") for item in voucher.get("lineItems", [])
    )


def check_pursue(
    kind: str, preceding: dict[str, Any] | None, body: dict[str, Any], tenant: Tenant
) -> list[Problem]:
    """§5.2 rules table; every violation is a 406."""
    field = "precedingSalesVoucherId"
    if preceding is None:
        return [(field, "INVALID_VALUE", "vorhergehender Beleg existiert nicht")]
    source = preceding["_type"]
    status = preceding.get("voucherStatus")
    if source not in PURSUE_SOURCES.get(kind, set()):
        return [(field, "INVALID_PURSUE", f"{kind} kann nicht aus {source} erstellt werden")]
    if source == "quotation" and _has_optional_items(preceding):
        return [(field, "INVALID_PURSUE", "Angebot enthält optionale oder alternative Positionen")]
    if source in {"orderconfirmation", "deliverynote"} and status == "draft":
        return [(field, "INVALID_PURSUE", "Entwürfe können nicht weitergeführt werden")]
    if kind == "creditnote":
        if status == "draft":
            return [(field, "INVALID_PURSUE", "Rechnung ist ein Entwurf")]
        if preceding.get("closingInvoice"):
            return [(field, "INVALID_PURSUE", "Schlussrechnungen können nicht korrigiert werden")]
        if status == "voided":
            return [(field, "INVALID_PURSUE", "Rechnung ist storniert")]
        if any(r.get("voucherType") == "creditnote" for r in preceding.get("relatedVouchers", [])):
            return [
                (field, "INVALID_PURSUE", "zu dieser Rechnung existiert bereits eine Gutschrift")
            ]
    if kind == "dunning":
        if status not in {"open", "sepadebit", "transferred"}:
            return [
                (field, "INVALID_PURSUE", f"Beleg im Status {status} kann nicht gemahnt werden")
            ]
        address = body.get("address") or {}
        if address.get("contactId") != (preceding.get("address") or {}).get("contactId"):
            return [
                ("address.contactId", "INVALID_VALUE", "Kontakt muss dem der Rechnung entsprechen")
            ]
        wanted = (preceding.get("taxConditions") or {}).get("taxType")
        if (body.get("taxConditions") or {}).get("taxType") != wanted:
            return [
                (
                    "taxConditions.taxType",
                    "INVALID_VALUE",
                    "Steuerart muss der der Rechnung entsprechen",
                )
            ]
    return []


def link(tenant: Tenant, first: dict[str, Any], second: dict[str, Any]) -> None:
    """relatedVouchers on both sides (§5.1/§5.2)."""
    for a, b in ((first, second), (second, first)):
        a.setdefault("relatedVouchers", []).append(
            {"id": b["id"], "voucherNumber": b.get("voucherNumber"), "voucherType": b["_type"]}
        )


def settle_with_credit_note(
    tenant: Tenant,
    invoice: dict[str, Any],
    credit_note: dict[str, Any],
    now: datetime,
    sim: EventSink | None,
) -> None:
    """§5.2: the finalized credit note reduces the invoice's open amount."""
    remaining = open_amount(tenant, invoice) or 0.0
    amount = min(remaining, float(credit_note["totalPrice"]["totalGrossAmount"]))
    if amount <= 0:
        return
    # PaymentError: nothing open any more (paid or voided meanwhile): the credit note stands alone.
    with contextlib.suppress(PaymentError):
        record_payment(
            sim,
            tenant,
            invoice["id"],
            amount,
            "partPaymentCreditNote",
            now if sim is None else None,
        )
