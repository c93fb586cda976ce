"""Worker side of the receivables area: payment states into the mirror, and dunnings.

`receivables.payments_fetch` is repeatable (GETs only). `receivables.dunning_create` is a write
kind (DESIGN.md §7): it reads the invoice (a GET changes nothing), then sends exactly one
POST /v1/dunnings?precedingSalesVoucherId=… (§5.10; dunnings are always drafts). A POST whose
answer was lost is never re-sent: the reconciler reads the invoice's relatedVouchers (the
voucherlist refuses voucherType=dunning, §5.22) for a dunning that was not there when the run
started and was created after the operation, and adopts it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from lexware import errors as lx
from portal.core.mirror import api_dict
from portal.documents.fetch import fetch_payment, refresh_document
from portal.documents.mirror import apply_document_details
from portal.operations.models import Operation
from portal.operations.registry import OperationFailed, operation_kind, write_kind
from portal.receivables.services import DUNNING_CREATE, PAYMENTS_FETCH

if TYPE_CHECKING:
    from lexware import LexwareClient

DUNNABLE = ("open", "overdue", "sepadebit", "transferred")
# Fields of an invoice's line item that a create body may carry (§5.1); the rest is computed.
LINE_ITEM_FIELDS = ("type", "name", "description", "quantity", "unitName", "discountPercentage")
UNIT_PRICE_FIELDS = ("currency", "netAmount", "grossAmount", "taxRatePercentage")


@operation_kind(PAYMENTS_FETCH, label=_("Load payments"))
def payments_fetch_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    ids = [str(voucher_id) for voucher_id in operation.input.get("ids") or []]
    for voucher_id in ids:
        fetch_payment(client=client, organization=operation.organization, voucher_id=voucher_id)
    return {"fetched": len(ids)}


def invoice_page(operation: Operation) -> str | None:
    invoice_id = operation.input.get("invoice_id")
    if not invoice_id:
        return None
    return reverse(
        "documents:detail",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": invoice_id},
    )


def _line_item(item: dict[str, Any]) -> dict[str, Any]:
    line = {key: item[key] for key in LINE_ITEM_FIELDS if item.get(key) is not None}
    if item.get("type") in ("material", "service") and item.get("id"):
        line["id"] = item["id"]
    price = item.get("unitPrice")
    if isinstance(price, dict):
        line["unitPrice"] = {k: price[k] for k in UNIT_PRICE_FIELDS if price.get(k) is not None}
    return line


def dunning_body(invoice: dict[str, Any], *, level: int, voucher_date: str) -> dict[str, Any]:
    """A dunning for the invoice (§5.10): its customer, tax type and positions, dated today."""
    address = invoice.get("address") or {}
    day = parse_date(voucher_date) or timezone.localdate()
    when = timezone.make_aware(datetime.combine(day, time(12)))
    number = invoice.get("voucherNumber") or ""
    return {
        "voucherDate": when.isoformat(timespec="milliseconds"),
        "address": {"contactId": address["contactId"]}
        if address.get("contactId")
        else {
            k: v
            for k, v in address.items()
            if k in ("name", "street", "zip", "city", "countryCode")
        },
        "lineItems": [_line_item(item) for item in invoice.get("lineItems") or []],
        "totalPrice": {"currency": (invoice.get("totalPrice") or {}).get("currency") or "EUR"},
        "taxConditions": {"taxType": (invoice.get("taxConditions") or {}).get("taxType") or "net"},
        "shippingConditions": invoice.get("shippingConditions") or {"shippingType": "none"},
        "title": f"{level}. Mahnung",
        "introduction": f"Zu Rechnung {number} ist noch ein Betrag offen.",
    }


def _dunning_ids(invoice: dict[str, Any]) -> list[str]:
    return [
        str(entry["id"])
        for entry in invoice.get("relatedVouchers") or []
        if entry.get("voucherType") == "dunning" and entry.get("id")
    ]


def dunning_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """The new dunning and the invoice (its relatedVouchers now name the dunning)."""
    organization = operation.organization
    data = api_dict(client.dunnings.get(operation.result["id"]))
    apply_document_details(organization=organization, voucher_type="dunning", data=data)
    refresh_document(
        client=client,
        organization=organization,
        lexware_id=operation.input["invoice_id"],
        voucher_type="invoice",
    )
    return {"id": str(data["id"]), "invoice_id": operation.input["invoice_id"]}


def dunning_reconcile(operation: Operation, client: LexwareClient) -> str | None:
    invoice = api_dict(client.invoices.get(operation.input["invoice_id"]))
    known = set(operation.input.get("known_dunnings") or [])
    # Lexware's clock may differ from ours by a little (RL6).
    since = operation.created_at - timedelta(minutes=5)
    for dunning_id in _dunning_ids(invoice):
        if dunning_id in known:
            continue
        try:
            created = parse_datetime(
                str(api_dict(client.dunnings.get(dunning_id)).get("createdDate") or "")
            )
        except lx.NotFoundError:
            continue
        if created is not None and created >= since:
            return dunning_id
    return None


@write_kind(
    DUNNING_CREATE,
    label=_("Create dunning"),
    read_back=dunning_read_back,
    reconcile=dunning_reconcile,
    result_url=invoice_page,
)
def dunning_create_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    invoice_id = operation.input["invoice_id"]
    level = int(operation.input["level"])
    invoice = api_dict(client.invoices.get(invoice_id))
    if invoice.get("voucherStatus") not in DUNNABLE:
        raise OperationFailed(_("The invoice is no longer open: no dunning was created."))
    if len(_dunning_ids(invoice)) >= level:
        # Someone dunned it meanwhile (in Lexware or another run): never twice per level.
        raise OperationFailed(_("The invoice already has a dunning at this level."))
    body = dunning_body(invoice, level=level, voucher_date=operation.input["voucher_date"])
    result = client.dunnings.create(body, preceding_sales_voucher_id=invoice_id)
    return {"id": str(result.id)}
