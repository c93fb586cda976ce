"""Drafts made in the portal (issue 11 item 3). Lexware cannot change or finalize a draft
through the API (§6.3), so a portal draft is opened again in the editor from the input kept
on its create Operation and sent as a new document; "finalize this draft" sends a finalized
copy, linked to the draft it replaces (DraftReplacement), with the deeplink to delete the old
draft in Lexware (§5.24)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from lexware import deeplinks
from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.documents.models import API_RESOURCE, Document
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization
from portal.sales.models import DraftReplacement
from portal.sales.types import KINDS


def portal_create(*, organization: Organization, lexware_id: str) -> Operation | None:
    """The portal's succeeded create that made this document, if the portal made it."""
    return (
        Operation.objects.filter(
            organization=organization,
            kind__in=list(KINDS),
            target_id=str(lexware_id),
            state=OperationState.SUCCEEDED,
        )
        .order_by("-created_at")
        .first()
    )


def draft_replacement_record(*, operation: Operation, user: User | None) -> DraftReplacement:
    """Link a finalizing create to the draft it replaces (once per operation: a double
    submit is one operation) and say in the audit trail who did it."""
    draft_id = str(operation.input["replaces_draft"])
    link, created = DraftReplacement.objects.get_or_create(
        operation=operation,
        defaults={
            "organization": operation.organization,
            "draft_lexware_id": draft_id,
            "draft_type": operation.target_type,
            "created_by": user,
        },
    )
    if created:
        record(
            Action.DRAFT_REPLACED,
            actor=user,
            organization=operation.organization,
            object_type="document",
            object_id=draft_id,
            operation=operation,
            details={"voucher_type": operation.target_type},
        )
    return link


def delete_draft_url(*, voucher_type: str, lexware_id: str) -> str | None:
    """Lexware's edit page of the old draft, where it is deleted (§5.24)."""
    resource = API_RESOURCE.get(voucher_type)
    return deeplinks.edit_url(resource, lexware_id) if resource else None


@dataclass(frozen=True)
class DraftFacts:
    """What the document page says about a document and portal drafts."""

    create: Operation | None  # the portal create that made this draft (None for non-drafts)
    replaced_by: list[DraftReplacement]  # finalized copies made of this draft
    replaces: DraftReplacement | None  # the draft this document replaces
    replaces_document: Document | None
    delete_url: str | None  # the old draft in Lexware's web app


def draft_facts(*, organization: Organization, document: Document) -> DraftFacts:
    lexware_id = str(document.lexware_id)
    # Only a draft is offered "finalize this draft", so only a draft needs its create.
    create = (
        portal_create(organization=organization, lexware_id=lexware_id)
        if document.status == "draft"
        else None
    )
    # Both directions in one query (the page shows who finalized: created_by comes along).
    links = list(
        DraftReplacement.objects.filter(
            Q(draft_lexware_id=lexware_id) | Q(operation__target_id=lexware_id),
            organization=organization,
        ).select_related("operation", "created_by")
    )
    replaced_by = [
        link
        for link in links
        if str(link.draft_lexware_id) == lexware_id
        and link.operation.state != OperationState.FAILED
    ]
    replaces = next((link for link in links if link.operation.target_id == lexware_id), None)
    replaces_document = None
    delete_url = None
    if replaces is not None:
        replaces_document = Document.objects.filter(
            organization=organization, lexware_id=replaces.draft_lexware_id, deleted_at__isnull=True
        ).first()
        if replaces_document is None or replaces_document.status == "draft":
            delete_url = delete_draft_url(
                voucher_type=replaces.draft_type, lexware_id=str(replaces.draft_lexware_id)
            )
    elif replaced_by and document.status == "draft":
        delete_url = delete_draft_url(voucher_type=document.voucher_type, lexware_id=lexware_id)
    return DraftFacts(
        create=create,
        replaced_by=replaced_by,
        replaces=replaces,
        replaces_document=replaces_document,
        delete_url=delete_url,
    )
