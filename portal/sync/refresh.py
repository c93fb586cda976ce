"""Re-fetching single resources after a webhook: always the current state from Lexware (W5);
a 404 marks the local copy deleted. Each area's mirror writer stores what comes back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lexware import errors as lx
from portal.articles.mirror import upsert_article
from portal.contacts.mirror import upsert_contact
from portal.core.mirror import api_dict
from portal.documents.fetch import refresh_document
from portal.documents.mirror import upsert_recurring_template
from portal.operations.models import Operation
from portal.organizations.models import Organization
from portal.sync.mirror_write import mark_deleted

if TYPE_CHECKING:
    from lexware import LexwareClient

REFRESH = "resource.refresh"

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


def refresh_resource(
    *,
    client: LexwareClient,
    organization: Organization,
    resource: str,
    lexware_id: str,
    voucher_type: str | None = None,
) -> str:
    if resource == "documents":
        return refresh_document(
            client=client,
            organization=organization,
            lexware_id=lexware_id,
            voucher_type=voucher_type or "",
        )
    getter = {
        "contacts": client.contacts.get,
        "articles": client.articles.get,
        "recurring_templates": client.recurring_templates.get,
    }[resource]
    writer = {
        "contacts": upsert_contact,
        "articles": upsert_article,
        "recurring_templates": upsert_recurring_template,
    }[resource]
    try:
        data = api_dict(getter(lexware_id))
    except lx.NotFoundError:
        mark_deleted(organization=organization, resource=resource, lexware_id=lexware_id)
        return "deleted"
    writer(organization=organization, data=data)
    return "refreshed"


def refresh_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    outcome = refresh_resource(
        client=client,
        organization=operation.organization,
        resource=operation.input["resource"],
        lexware_id=operation.input["id"],
        voucher_type=operation.input.get("voucher_type"),
    )
    return {"outcome": outcome}
