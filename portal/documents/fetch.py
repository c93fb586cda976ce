"""Worker side: fetching one document (and its payment state) from Lexware into the mirror.

Used by the on-demand `document.fetch` kind here and by the sync's refresh after a webhook.
Always the current state (W5): a 404 marks the local copy deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lexware import errors as lx
from portal.core.mirror import api_dict
from portal.documents.mirror import apply_document_details, mark_document_deleted, upsert_payment
from portal.documents.models import API_RESOURCE, BOOKKEEPING_TYPES, Document
from portal.documents.signals import document_refreshed
from portal.organizations.models import Organization

if TYPE_CHECKING:
    from lexware import LexwareClient

PAYMENT_TYPES = ("invoice", "downpaymentinvoice", "creditnote", *BOOKKEEPING_TYPES)
# Lexware has no payment information for these states (§5.15).
NO_PAYMENTS_IN = ("draft", "unchecked", "blank")


def fetch_document(
    *, client: LexwareClient, organization: Organization, voucher_type: str, lexware_id: str
) -> Document | None:
    """GET one document (sales type or bookkeeping voucher) into the mirror; None if gone."""
    try:
        if voucher_type in API_RESOURCE:
            data = api_dict(getattr(client, API_RESOURCE[voucher_type]).get(lexware_id))
        else:
            data = api_dict(client.vouchers.get(lexware_id))
            voucher_type = str(data.get("type") or voucher_type)
    except lx.NotFoundError:
        mark_document_deleted(organization=organization, lexware_id=lexware_id)
        return None
    return apply_document_details(organization=organization, voucher_type=voucher_type, data=data)


def fetch_payment(*, client: LexwareClient, organization: Organization, voucher_id: str) -> None:
    try:
        data = api_dict(client.payments.get(voucher_id))
    except (lx.NotFoundError, lx.ValidationError):
        return  # drafts and types without payment information (§5.15)
    upsert_payment(organization=organization, voucher_id=voucher_id, data=data)


def refresh_document(
    *, client: LexwareClient, organization: Organization, lexware_id: str, voucher_type: str
) -> str:
    """The document and, where Lexware keeps one, its payment state: "refreshed" or "deleted"."""
    if voucher_type == "voucher":
        # A bookkeeping voucher's webhook does not say which type it is; the mirror may know.
        existing = Document.objects.filter(organization=organization, lexware_id=lexware_id).first()
        voucher_type = existing.voucher_type if existing else "voucher"
    document = fetch_document(
        client=client, organization=organization, voucher_type=voucher_type, lexware_id=lexware_id
    )
    if document is None:
        return "deleted"
    if document.voucher_type in PAYMENT_TYPES and document.status not in NO_PAYMENTS_IN:
        fetch_payment(client=client, organization=organization, voucher_id=lexware_id)
    document_refreshed.send(sender=Document, organization=organization, document=document)
    return "refreshed"
