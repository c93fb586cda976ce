"""Writes for bookkeeping vouchers and their receipts (lexware-api.md §5.12, §5.23): each starts
an Operation; the worker side is in handlers.py.

- `receipt_upload`: one dropped file → a stored `Receipt` and a `voucher.upload` operation in
  one transaction. The same content again (the portal's checksum dedupe, as Lexware's) returns
  the first receipt and starts nothing.
- `receipt_retry`: a failed upload is sent again from the stored bytes (Lexware deduplicates by
  checksum too, so even an upload that did arrive makes no second voucher).
- `voucher_create` / `voucher_update`: the voucher form; the update is a read-merge-put that
  keeps every file id (portal/operations/edits.py; §5.23 deletes omitted files for good).
- `voucher_attach`: one more file for an existing voucher (`POST /v1/vouchers/{id}/files`).
- `receipt_fetch`: a file Lexware holds (attached elsewhere) downloaded to be shown here.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.bookkeeping.models import Receipt
from portal.documents.mirror import apply_document_details
from portal.documents.models import BOOKKEEPING_TYPES, Document
from portal.operations.edits import EditSpec, edit_start
from portal.operations.models import Lane, Operation, OperationState
from portal.operations.queue import enqueue_on_commit
from portal.operations.services import ACTIVE, operation_start, withdraw_replaced
from portal.organizations.models import Organization

UPLOAD = "voucher.upload"
CHECK = "voucher.receipt_check"
CREATE = "voucher.create"
UPDATE = "voucher.update"
ATTACH = "voucher.attach"
FETCH = "voucher.file_fetch"

# How long Lexware's OCR is given before the voucher is read back, and how often it is
# looked at again while it is still `blank` (seconds; doubled each round).
OCR_CHECK_ROUNDS = 6


def ocr_wait_seconds() -> float:
    return float(getattr(settings, "RECEIPT_OCR_WAIT_SECONDS", 5))


def _store_voucher(organization: Organization, data: dict[str, Any]) -> Any:
    document = apply_document_details(
        organization=organization,
        voucher_type=str(data.get("type") or "purchaseinvoice"),
        data=data,
    )
    if not document.contact_name and document.contact_lexware_id:
        # A voucher names its contact by id only (§5.23); the list shows the contacts mirror's
        # name until the voucherlist row brings Lexware's. Never written into `raw`: a PUT with
        # contactId and contactName is refused (406).
        name = (
            apps.get_model("contacts", "Contact")
            .objects.filter(organization=organization, lexware_id=document.contact_lexware_id)
            .values_list("name", flat=True)
            .first()
        )
        if name:
            document.contact_name = name[:300]
            Document.objects.filter(pk=document.pk).update(contact_name=document.contact_name)
    return document


# Read-merge-put of a voucher. `voucherItems` is one value (the positions are replaced as a
# whole); `files` is never in the form's data, so the current list is always PUT back as read.
EDIT = EditSpec(
    resource="vouchers",
    input_key="voucher",
    upsert=_store_voucher,
    atomic=("voucherItems",),
)


def checksum(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _upload_key(receipt: Receipt) -> str:
    return f"upload:{receipt.pk}:{receipt.retries}"


@transaction.atomic
def receipt_upload(
    *,
    organization: Organization,
    user: User | None,
    filename: str,
    media_type: str,
    content: bytes,
    lane: str = Lane.INTERACTIVE,
) -> tuple[Receipt, bool]:
    """Store a checked file and start its upload; (receipt, created). A file with the same
    content uploaded before returns that receipt (created False) and sends nothing."""
    digest = checksum(content)
    existing = Receipt.objects.filter(
        organization=organization, source=Receipt.Source.UPLOAD, sha256=digest
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(
                organization=organization,
                source=Receipt.Source.UPLOAD,
                sha256=digest,
                filename=filename[:200],
                media_type=media_type,
                size=len(content),
                content=content,
                uploaded_by=user,
            )
    except IntegrityError:  # the same file dropped twice at once
        return Receipt.objects.get(
            organization=organization, source=Receipt.Source.UPLOAD, sha256=digest
        ), False
    _start_upload(receipt, user=user, lane=lane)
    return receipt, True


def _start_upload(receipt: Receipt, *, user: User | None, lane: str) -> Operation:
    operation = operation_start(
        organization=receipt.organization,
        kind=UPLOAD,
        user=user,
        input={"receipt": receipt.pk, "filename": receipt.filename},
        target_type="voucher",
        lane=lane,
        idempotency_key=_upload_key(receipt),
    )
    receipt.operation = operation
    receipt.save(update_fields=["operation"])
    return operation


@transaction.atomic
def receipt_retry(*, organization: Organization, user: User | None, receipt_id: int) -> Receipt:
    """Send a failed upload again (from the stored bytes). Anything but a failed upload is left
    alone: a waiting, running or unknown one is still on its way and must not be sent twice."""
    receipt = Receipt.objects.select_for_update().get(organization=organization, pk=receipt_id)
    operation = receipt.operation
    if receipt.voucher_id is not None or (
        operation is not None and operation.state != OperationState.FAILED
    ):
        return receipt
    receipt.retries += 1
    receipt.save(update_fields=["retries"])
    _start_upload(receipt, user=user, lane=Lane.INTERACTIVE)
    return receipt


def receipt_check_start(*, receipt: Receipt, round: int) -> Operation | None:
    """Read the uploaded voucher back once Lexware's OCR had time (a delayed, repeatable
    operation on the bulk lane); round n waits ocr_wait × 2ⁿ⁻¹ seconds."""
    if round > OCR_CHECK_ROUNDS:
        return None
    delay = ocr_wait_seconds() * 2 ** (round - 1)
    with transaction.atomic():
        operation = operation_start(
            organization=receipt.organization,
            kind=CHECK,
            input={"receipt": receipt.pk, "round": round},
            target_type="voucher",
            target_id=str(receipt.voucher_id or ""),
            lane=Lane.BULK,
            idempotency_key=f"ocr:{receipt.pk}:{round}",
        )
        if operation.state == OperationState.PENDING and operation.attempts == 0:
            # The immediate task finds it not due yet; the delayed one runs it.
            Operation.objects.filter(pk=operation.pk).update(
                not_before=timezone.now() + timedelta(seconds=delay)
            )
            enqueue_on_commit(operation.pk, countdown=delay)
    return operation


def _form_body(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in ("id", "version", "files")}


@transaction.atomic
def voucher_create(
    *,
    organization: Organization,
    user: User | None,
    data: dict[str, Any],
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
) -> Operation:
    """`data` is a voucher in Lexware's shape (§5.23), checked by the form."""
    withdraw_replaced(organization=organization, kind=CREATE, replaces=replaces)
    return operation_start(
        organization=organization,
        kind=CREATE,
        user=user,
        input={"voucher": _form_body(data)},
        target_type="voucher",
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def voucher_update(
    *,
    organization: Organization,
    user: User | None,
    lexware_id: UUID | str,
    data: dict[str, Any],
    base_version: int,
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
) -> Operation:
    """Change (or complete: `voucherStatus` open) a voucher. `data` never holds `files`: the
    worker PUTs the file ids Lexware holds at that moment, so none is lost."""
    mirrored = Document.objects.filter(
        organization=organization, lexware_id=lexware_id, voucher_type__in=BOOKKEEPING_TYPES
    ).first()
    return edit_start(
        spec=EDIT,
        kind=UPDATE,
        organization=organization,
        user=user,
        lexware_id=lexware_id,
        data=_form_body(data),
        base_version=base_version,
        base_record=mirrored.raw if mirrored is not None else None,
        target_type="voucher",
        idempotency_key=idempotency_key,
        replaces=replaces,
    )


@transaction.atomic
def voucher_attach(
    *,
    organization: Organization,
    user: User | None,
    lexware_id: UUID | str,
    filename: str,
    media_type: str,
    content: bytes,
) -> Receipt:
    """One more file for a voucher: stored, then `POST /v1/vouchers/{id}/files`. The same
    content attached to the same voucher again returns the first attachment."""
    digest = checksum(content)
    existing = Receipt.objects.filter(
        organization=organization,
        source=Receipt.Source.ATTACH,
        voucher_id=lexware_id,
        sha256=digest,
    ).first()
    if existing is not None and not (
        existing.operation is not None and existing.operation.state == OperationState.FAILED
    ):
        return existing
    receipt = existing or Receipt.objects.create(
        organization=organization,
        source=Receipt.Source.ATTACH,
        sha256=digest,
        filename=filename[:200],
        media_type=media_type,
        size=len(content),
        content=content,
        uploaded_by=user,
        voucher_id=lexware_id,
    )
    if existing is not None:
        receipt.retries += 1
        receipt.save(update_fields=["retries"])
    mirrored = Document.objects.filter(organization=organization, lexware_id=lexware_id).first()
    known = [str(f) for f in ((mirrored.raw or {}).get("files") or [])] if mirrored else []
    receipt.operation = operation_start(
        organization=organization,
        kind=ATTACH,
        user=user,
        input={"receipt": receipt.pk, "voucher_id": str(lexware_id), "known_files": known},
        target_type="voucher",
        target_id=str(lexware_id),
        idempotency_key=f"attach:{receipt.pk}:{receipt.retries}",
    )
    receipt.save(update_fields=["operation"])
    return receipt


@transaction.atomic
def receipt_fetch(
    *, organization: Organization, user: User | None, voucher_id: UUID | str, file_id: UUID | str
) -> Operation:
    """Download a voucher's file from Lexware into the portal (to show and download it)."""
    return operation_start(
        organization=organization,
        kind=FETCH,
        user=user,
        input={"voucher_id": str(voucher_id), "file_id": str(file_id)},
        target_type="file",
        target_id=str(file_id),
        lane=Lane.INTERACTIVE,
        coalesce=ACTIVE,
    )
