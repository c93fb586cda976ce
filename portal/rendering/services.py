"""Asking for a render: the input is snapshot here (cheap reads of the mirror), the drawing
happens in a worker (tasks.py → render.py), never in the web request.

Cache: a job is keyed by the SHA-256 of its whole input (voucher, letterhead, language,
template version). Asking again for the same input returns the job that already has it (done,
or still rendering); a changed input is a new job, and the same document's older previews are
dropped with their files.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils import timezone

from portal.accounts.models import User
from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.organizations.models import Organization
from portal.rendering import queue, selectors
from portal.rendering.models import RenderJob, RenderKind, RenderState
from portal.rendering.storage import delete_render

# Bumped when the drawing changes, so cached PDFs of the old layout are not served again.
TEMPLATE_VERSION = 3


class NotRenderable(Exception):
    """The input cannot be previewed yet (e.g. the draft's details were never fetched)."""


def input_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(
        {"template": TEMPLATE_VERSION, **payload},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _job(
    *,
    organization: Organization,
    kind: str,
    payload: dict[str, Any],
    user: User | None,
    **target: Any,
) -> RenderJob:
    digest = input_hash(payload)
    cached = (
        RenderJob.objects.filter(organization=organization, kind=kind, input_hash=digest)
        .exclude(state=RenderState.FAILED)
        .order_by("-created_at")
        .first()
    )
    if cached is not None:
        return cached
    job = RenderJob.objects.create(
        organization=organization,
        kind=kind,
        input=payload,
        input_hash=digest,
        created_by=user,
        **target,
    )
    queue.enqueue_on_commit(job.pk)
    return job


def voucher_payload(
    *,
    organization: Organization,
    voucher: dict[str, Any],
    voucher_type: str,
    language: str | None = None,
) -> dict[str, Any]:
    return {
        "kind": RenderKind.PREVIEW.value,
        "voucher_type": voucher_type,
        "language": language or voucher.get("language") or "de",
        "voucher": voucher,
        "letterhead": selectors.letterhead(organization=organization),
    }


@transaction.atomic
def document_preview(
    *, organization: Organization, document: Document, user: User | None = None
) -> RenderJob:
    """Preview of a mirrored draft (or any sales document) from its stored details."""
    if not document.has_details or not isinstance(document.raw, dict) or not document.raw:
        raise NotRenderable("details missing")
    payload = voucher_payload(
        organization=organization, voucher=document.raw, voucher_type=document.voucher_type
    )
    job = _job(
        organization=organization,
        kind=RenderKind.PREVIEW,
        payload=payload,
        user=user,
        document_lexware_id=document.lexware_id,
        source_version=document.version,
    )
    drop_previews(organization=organization, document_lexware_id=document.lexware_id, keep=job)
    return job


@transaction.atomic
def editor_preview(
    *,
    organization: Organization,
    voucher: dict[str, Any],
    voucher_type: str,
    user: User | None = None,
) -> RenderJob:
    """Preview of the editor's current input (a voucher in Lexware's shape, §5.1). A
    referenced customer's address comes from the contacts mirror, as Lexware would fill it."""
    voucher = dict(voucher)
    address = dict(voucher.get("address") or {})
    if address.get("contactId") and not address.get("name"):
        contact = Contact.objects.filter(
            organization=organization, lexware_id=address["contactId"]
        ).first()
        if contact is not None:
            address = {**selectors.contact_address(contact), **address}
    voucher["address"] = address
    payload = voucher_payload(organization=organization, voucher=voucher, voucher_type=voucher_type)
    return _job(organization=organization, kind=RenderKind.PREVIEW, payload=payload, user=user)


@transaction.atomic
def statement(
    *, organization: Organization, contact: Contact, language: str, user: User | None = None
) -> RenderJob:
    payload = {
        "kind": RenderKind.STATEMENT.value,
        "language": "en" if language == "en" else "de",
        "letterhead": selectors.letterhead(organization=organization),
        "recipient": selectors.contact_address(contact),
        "customer_number": str(contact.customer_number or ""),
        **selectors.statement_items(organization=organization, contact=contact),
    }
    return _job(
        organization=organization,
        kind=RenderKind.STATEMENT,
        payload=payload,
        user=user,
        contact_lexware_id=contact.lexware_id,
    )


def drop_previews(
    *, organization: Organization, document_lexware_id: Any, keep: RenderJob | None = None
) -> int:
    """The document's earlier previews, with their files: they show a draft that changed."""
    old = RenderJob.objects.filter(
        organization=organization, kind=RenderKind.PREVIEW, document_lexware_id=document_lexware_id
    )
    if keep is not None:
        old = old.exclude(pk=keep.pk)
    names = [name for name in old.values_list("storage_name", flat=True) if name]
    count, _ = old.delete()

    def delete_files() -> None:
        for name in names:
            delete_render(name)

    transaction.on_commit(delete_files)
    return count


@transaction.atomic
def retry(*, job: RenderJob) -> RenderJob:
    """A failed (or stuck) render again, with the same input."""
    updated = (
        RenderJob.objects.filter(pk=job.pk)
        .exclude(state=RenderState.SUCCEEDED)
        .update(state=RenderState.PENDING, error="", created_at=timezone.now(), started_at=None)
    )
    if updated:
        queue.enqueue_on_commit(job.pk)
    job.refresh_from_db()
    return job


def prune_previews() -> int:
    """Previews older than RENDER_PREVIEW_DAYS and statements older than
    RENDER_STATEMENT_DAYS, with their files. A statement shows the open items of its day: a
    week on it is out of date, and asking again renders it anew. A statement an e-mail carried
    stays, as the record of what was sent (emails.EmailAttachment protects it)."""
    now = timezone.now()
    previews = now - timedelta(days=getattr(settings, "RENDER_PREVIEW_DAYS", 14))
    statements = now - timedelta(days=getattr(settings, "RENDER_STATEMENT_DAYS", 7))
    old = RenderJob.objects.filter(
        Q(kind=RenderKind.PREVIEW, created_at__lt=previews)
        | Q(kind=RenderKind.STATEMENT, created_at__lt=statements)
    )
    try:
        with transaction.atomic():
            return _delete_with_files(old)
    except ProtectedError as protected:
        # The e-mails' attachments name their jobs; rendering cannot import emails (a layer
        # above), so the protecting rows tell which jobs to keep.
        kept = {getattr(row, "render_id", None) for row in protected.protected_objects}
        return _delete_with_files(old.exclude(pk__in=kept))


def _delete_with_files(jobs: QuerySet[RenderJob]) -> int:
    names = [name for name in jobs.values_list("storage_name", flat=True) if name]
    count, _ = jobs.delete()
    for name in names:
        delete_render(name)
    return count
