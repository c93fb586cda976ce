"""Re-fetching single resources: after a webhook, and on demand when a user opens a document
whose details are missing or stale. Always the current state from Lexware (W5): a 404 marks
the local copy deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from portal.documents.models import API_RESOURCE, BOOKKEEPING_TYPES, Document
from portal.operations.models import Lane, Operation, OperationState
from portal.operations.registry import operation_kind
from portal.operations.services import operation_start
from portal.organizations.models import Organization
from portal.sync import mirror_write

if TYPE_CHECKING:
    from lexware import LexwareClient

REFRESH = "resource.refresh"
FETCH_DOCUMENT = "document.fetch"

# Webhook event prefix (§7.1) → (mirror resource, voucher type for documents).
EVENT_RESOURCES: dict[str, tuple[str, str | None]] = {
    "contact": ("contacts", None),
    "article": ("articles", None),
    "invoice": ("documents", "invoice"),
    "down-payment-invoice": ("documents", "downpaymentinvoice"),
    "credit-note": ("documents", "creditnote"),
    "quotation": ("documents", "quotation"),
    "order-confirmation": ("documents", "orderconfirmation"),
    "delivery-note": ("documents", "deliverynote"),
    "dunning": ("documents", "dunning"),
    "voucher": ("documents", "voucher"),
    "recurring-template": ("recurring_templates", None),
}

PAYMENT_TYPES = ("invoice", "downpaymentinvoice", "creditnote", *BOOKKEEPING_TYPES)


def fetch_document(*, client: LexwareClient, organization: Organization, voucher_type: str, lexware_id: str) -> Document | None:
    """GET one document (sales type or bookkeeping voucher) into the mirror; None if gone."""
    from lexware import errors as lx

    try:
        if voucher_type in API_RESOURCE:
            data = mirror_write.api_dict(getattr(client, API_RESOURCE[voucher_type]).get(lexware_id))
        else:
            data = mirror_write.api_dict(client.vouchers.get(lexware_id))
            voucher_type = str(data.get("type") or voucher_type)
    except lx.NotFoundError:
        mirror_write.mark_deleted(organization=organization, resource="documents", lexware_id=lexware_id)
        return None
    return mirror_write.apply_document_details(organization=organization, voucher_type=voucher_type, data=data)


def fetch_payment(*, client: LexwareClient, organization: Organization, voucher_id: str) -> None:
    from lexware import errors as lx

    try:
        data = mirror_write.api_dict(client.payments.get(voucher_id))
    except (lx.NotFoundError, lx.ValidationError):
        return  # drafts and types without payment information (§5.15)
    mirror_write.upsert_payment(organization=organization, voucher_id=voucher_id, data=data)


def refresh_resource(*, client: LexwareClient, organization: Organization, resource: str, lexware_id: str,
                     voucher_type: str | None = None) -> str:
    from lexware import errors as lx

    if resource == "documents":
        if voucher_type == "voucher":
            existing = Document.objects.filter(organization=organization, lexware_id=lexware_id).first()
            voucher_type = existing.voucher_type if existing else "voucher"
        document = fetch_document(client=client, organization=organization, voucher_type=voucher_type or "", lexware_id=lexware_id)
        if document is not None and document.voucher_type in PAYMENT_TYPES and document.status not in ("draft", "unchecked", "blank"):
            fetch_payment(client=client, organization=organization, voucher_id=lexware_id)
        return "deleted" if document is None else "refreshed"
    getter = {"contacts": client.contacts.get, "articles": client.articles.get,
              "recurring_templates": client.recurring_templates.get}[resource]
    writer = {"contacts": mirror_write.upsert_contact, "articles": mirror_write.upsert_article,
              "recurring_templates": mirror_write.upsert_recurring_template}[resource]
    try:
        data = mirror_write.api_dict(getter(lexware_id))
    except lx.NotFoundError:
        mirror_write.mark_deleted(organization=organization, resource=resource, lexware_id=lexware_id)
        return "deleted"
    writer(organization=organization, data=data)
    return "refreshed"


@transaction.atomic
def refresh_request(*, organization: Organization, resource: str, lexware_id: str, voucher_type: str | None = None,
                    lane: str = Lane.BULK) -> Operation:
    """Queue a refresh, coalescing with one already waiting for the same resource (W6)."""
    waiting = Operation.objects.filter(
        organization=organization, kind=REFRESH, target_id=lexware_id, state=OperationState.PENDING
    ).first()
    if waiting is not None:
        return waiting
    return operation_start(
        organization=organization, kind=REFRESH, lane=lane, target_type=resource, target_id=lexware_id,
        input={"resource": resource, "id": lexware_id, "voucher_type": voucher_type},
    )


@operation_kind(REFRESH, repeatable=True)
def refresh_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    outcome = refresh_resource(
        client=client, organization=operation.organization, resource=operation.input["resource"],
        lexware_id=operation.input["id"], voucher_type=operation.input.get("voucher_type"),
    )
    return {"outcome": outcome}


@transaction.atomic
def document_fetch_request(*, organization: Organization, document: Document, user: Any = None) -> Operation:
    """On demand, interactive lane: a user is looking at the document now."""
    waiting = Operation.objects.filter(
        organization=organization, kind=FETCH_DOCUMENT, target_id=str(document.lexware_id),
        state__in=(OperationState.PENDING, OperationState.RUNNING),
    ).first()
    if waiting is not None:
        return waiting
    return operation_start(
        organization=organization, kind=FETCH_DOCUMENT, user=user, lane=Lane.INTERACTIVE,
        target_type=document.voucher_type, target_id=str(document.lexware_id),
        input={"voucher_type": document.voucher_type, "id": str(document.lexware_id)},
    )


@operation_kind(FETCH_DOCUMENT, repeatable=True)
def document_fetch_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    outcome = refresh_resource(
        client=client, organization=operation.organization, resource="documents",
        lexware_id=operation.input["id"], voucher_type=operation.input["voucher_type"],
    )
    return {"outcome": outcome}
