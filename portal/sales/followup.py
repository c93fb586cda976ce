"""Follow-up documents (lexware-api.md §5.2) and copies: which types a document may be pursued
into, why Lexware would refuse a pursuit (406), and the editor's data prefilled from the
preceding document. Reads the mirror only; never calls Lexware."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.documents.models import Document
from portal.sales.forms import DocumentForm
from portal.sales.types import SALES_TYPES, SalesType

# §5.2: preceding type → the types it may be pursued into through the editor (dunnings are
# made by the dunning run of portal/receivables, not here).
PURSUE: dict[str, tuple[str, ...]] = {
    "quotation": ("orderconfirmation", "invoice", "deliverynote"),
    "orderconfirmation": ("invoice", "deliverynote"),
    "deliverynote": ("invoice",),
    "invoice": ("creditnote", "deliverynote"),
}
DRAFT = "draft"


def has_optional_items(raw: Mapping[str, Any]) -> bool:
    """§5.20: optional items or alternative sub-items, which no follow-up may come from."""
    return any(
        item.get("optional") or item.get("alternative") or item.get("subItems")
        for item in raw.get("lineItems") or []
        if isinstance(item, Mapping)
    )


def pursue_refusal(source: Document, target: str) -> str | None:
    """Why Lexware would answer 406 to pursuing `source` into `target` (§5.2), as far as the
    mirror knows; None when it may be tried."""
    raw: Mapping[str, Any] = source.raw or {}
    status = source.status or str(raw.get("voucherStatus") or "")
    if target not in PURSUE.get(source.voucher_type, ()):
        return _("Lexware does not make this type of document from this one.")
    if source.voucher_type == "quotation" and has_optional_items(raw):
        return _("The quotation has optional or alternative items: Lexware pursues none.")
    if source.voucher_type in ("orderconfirmation", "deliverynote") and status == DRAFT:
        return _("Lexware pursues no draft order confirmation or delivery note.")
    if target == "creditnote":
        if status == DRAFT:
            return _("The invoice is a draft: finalize it first.")
        if status == "voided":
            return _("The invoice is voided.")
        if raw.get("closingInvoice"):
            return _("Lexware makes no credit note for a closing invoice.")
        related = raw.get("relatedVouchers") or []
        if any(isinstance(r, Mapping) and r.get("voucherType") == "creditnote" for r in related):
            return _("This invoice already has a credit note; Lexware allows only one.")
    return None


def follow_up_types(source: Document) -> list[tuple[SalesType, str | None]]:
    """The types this document may be pursued into, each with Lexware's refusal or None."""
    return [
        (SALES_TYPES[target], pursue_refusal(source, target))
        for target in PURSUE.get(source.voucher_type, ())
    ]


def prefill(
    body: Mapping[str, Any],
    *,
    target: SalesType,
    source_type: str,
    source_number: str = "",
    preceding: str = "",
) -> dict[str, Any]:
    """The editor's form data for a new `target` document from a Lexware document (or a sent
    body): customer, items, tax type and conditions taken over; dates start today. A document
    of another type starts with the organization's own title and texts (a quotation's
    "Angebot" would be wrong on an invoice); a credit note names the invoice it corrects
    (§5.7: Lexware does not print the relation)."""
    if not target.discounts:
        body = without_discounts(body)
    data = DocumentForm.data_from_lexware(body)
    today = timezone.localdate()
    data.update(
        idempotency_key=str(uuid.uuid4()),
        replaces="",
        voucher_date=today.isoformat(),
        expiration_date=(today + timedelta(days=30)).isoformat(),
        preceding_id=preceding,
        replaces_draft="",
    )
    if not data.get("shipping_date"):
        data["shipping_date"] = today.isoformat()
    if target.voucher_type != source_type:
        data.update(title="", introduction="", remark="")
    if target.voucher_type == "creditnote" and source_type == "invoice" and source_number:
        data["introduction"] = _("Credit note for invoice %(number)s") % {"number": source_number}
    return {key: "" if value is None else value for key, value in data.items()}


FOUR_PLACES = Decimal("0.0001")


def without_discounts(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body for a type without discounts (credit notes, §5.1 lineItems): each line's
    discount and the total discount folded into the unit prices (4 decimals), so a credit note
    made from a discounted invoice credits what the invoice charged, not the undiscounted
    prices. An absolute total discount is spread over the lines in proportion to their amounts."""
    folded = copy.deepcopy(dict(body))
    items = [i for i in folded.get("lineItems") or [] if isinstance(i, dict)]
    total = folded.pop("totalPrice", None) or {}
    gross = (folded.get("taxConditions") or {}).get("taxType") == "gross"
    amount_key = "grossAmount" if gross else "netAmount"

    def factor(item: Mapping[str, Any]) -> Decimal:
        return 1 - Decimal(str(item.get("discountPercentage") or 0)) / 100

    priced = [i for i in items if isinstance(i.get("unitPrice"), dict)]
    overall = 1 - Decimal(str(total.get("totalDiscountPercentage") or 0)) / 100
    absolute = Decimal(str(total.get("totalDiscountAbsolute") or 0))
    if absolute:
        lines = sum(
            Decimal(str(i["unitPrice"].get(amount_key) or 0))
            * Decimal(str(i.get("quantity") or 0))
            * factor(i)
            for i in priced
        )
        overall *= 1 - absolute / lines if lines else 1
    for item in priced:
        share = factor(item) * overall
        item.pop("discountPercentage", None)
        if share == 1:
            continue
        price = Decimal(str(item["unitPrice"].get(amount_key) or 0)) * share
        item["unitPrice"] = {
            key: value
            for key, value in item["unitPrice"].items()
            if key not in ("netAmount", "grossAmount")
        }
        item["unitPrice"][amount_key] = float(price.quantize(FOUR_PLACES, ROUND_HALF_UP))
    folded["totalPrice"] = {"currency": total.get("currency") or "EUR"}
    return folded


def reopened(operation_input: Mapping[str, Any]) -> dict[str, Any]:
    """The editor's form data exactly as a portal create sent it (a draft opened again)."""
    data = DocumentForm.data_from_lexware(operation_input.get("document") or {})
    data.update(
        idempotency_key=str(uuid.uuid4()),
        replaces="",
        preceding_id=str(operation_input.get("preceding") or ""),
        replaces_draft="",
    )
    return {key: "" if value is None else value for key, value in data.items()}
