"""Worker side of the receivables area: payment states into the mirror, and dunnings.

`receivables.payments_fetch` is repeatable (GETs only). `receivables.dunning_create` is a write
kind (DESIGN.md §7): it reads the invoice (a GET changes nothing), then sends exactly one
POST /v1/dunnings?precedingSalesVoucherId=… (§5.10; dunnings are always drafts). A POST whose
answer was lost is never re-sent: the reconciler reads the invoice's relatedVouchers (the
voucherlist refuses voucherType=dunning, §5.22) for a dunning that was not there when the run
started and was created after the operation, and adopts it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from lexware import errors as lx
from portal.core.mirror import api_dict
from portal.documents.fetch import fetch_payment, refresh_document
from portal.documents.mirror import apply_document_details
from portal.documents.models import Document
from portal.documents.signals import document_refreshed
from portal.operations.models import Operation
from portal.operations.registry import OperationFailed, operation_kind, write_kind
from portal.receivables.bodies import DUNNABLE, dunning_body, dunning_ids
from portal.receivables.services import DUNNING_CREATE, PAYMENTS_FETCH

if TYPE_CHECKING:
    from lexware import LexwareClient


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


def dunning_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """The new dunning and the invoice (its relatedVouchers now name the dunning)."""
    organization = operation.organization
    data = api_dict(client.dunnings.get(operation.result["id"]))
    dunning = apply_document_details(organization=organization, voucher_type="dunning", data=data)
    # Its PDF is fetched on the bulk lane (portal.files), ready for the e-mail.
    document_refreshed.send(sender=Document, organization=organization, document=dunning)
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
    for dunning_id in dunning_ids(invoice):
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
    """Exactly one request: the POST. The body was built from the mirror's invoice details
    when the run started (services.dunning_run_start); only when the mirror had no details
    is the invoice read first (a GET changes nothing in Lexware)."""
    invoice_id = operation.input["invoice_id"]
    level = int(operation.input["level"])
    body = operation.input.get("body")
    if not body:
        invoice = api_dict(client.invoices.get(invoice_id))
        if invoice.get("voucherStatus") not in DUNNABLE:
            raise OperationFailed(_("The invoice is no longer open: no dunning was created."))
        if len(dunning_ids(invoice)) >= level:
            # Someone dunned it meanwhile (in Lexware or another run): never twice per level.
            raise OperationFailed(_("The invoice already has a dunning at this level."))
        body = dunning_body(invoice, level=level, voucher_date=operation.input["voucher_date"])
    result = client.dunnings.create(body, preceding_sales_voucher_id=invoice_id)
    return {"id": str(result.id)}
