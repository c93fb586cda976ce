"""Bulk export: many documents' PDFs as one ZIP, built by a worker (issue 12 item 2).

One step (`files.export_step`, by id) does what can be done now and hands over:

1. preparing — every document without a stored PDF gets the existing fetch kind
   (`document.files_fetch`, bulk lane, through the per-key limiter; 429/503 are retried by the
   operations runner). The step comes back every few seconds until each PDF is stored or its
   fetch failed (those documents are left out and listed).
2. building — the PDFs are copied from storage in 64 KiB chunks into a ZIP written to an
   anonymous temporary file, then saved to storage in chunks: memory does not grow with the
   number of files.

A lease (token + heartbeat) lets one worker build at a time. A worker killed mid-way is
noticed by its stale heartbeat (the next delivery, or `files.export_sweep`) and the build
starts again from the top: the ZIP in storage is only ever the complete one, every file once.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.documents.models import API_RESOURCE, Document
from portal.files.models import DocumentExport, DocumentFile, ExportState, FileKind
from portal.files.selectors import has_file
from portal.files.services import FILES_FETCH, document_files_fetch
from portal.files.storage import document_storage, download_filename
from portal.operations.models import Lane, Operation, OperationState
from portal.organizations.models import Organization

logger = logging.getLogger(__name__)

STEP = "files.export_step"
MAX_DOCUMENTS = 5000
POLL_SECONDS = 2.0
HEARTBEAT_EVERY = 25  # files
CHUNK = 64 * 1024


def _lease_seconds() -> int:
    return int(getattr(settings, "EXPORT_LEASE_SECONDS", 60))


def enqueue_step(export_id: int, *, countdown: float | None = None) -> bool:
    try:
        options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
        current_app.tasks[STEP].apply_async((export_id,), retry=False, **options)
    except Exception:
        logger.warning("broker unavailable: export %s waits for the sweeper", export_id)
        return False
    return True


def exportable(documents: Iterable[Document]) -> list[Document]:
    return [d for d in documents if d.voucher_type in API_RESOURCE and has_file(d)]


@transaction.atomic
def document_export_create(
    *, organization: Organization, user: User | None, documents: Iterable[Document]
) -> DocumentExport:
    chosen = [d for d in exportable(documents) if d.organization_id == organization.pk]
    if not chosen:
        raise ValidationError(_("None of these documents has a PDF: drafts have none."))
    if len(chosen) > MAX_DOCUMENTS:
        raise ValidationError(
            _("At most %(limit)s documents fit in one export; narrow the filter.")
            % {"limit": MAX_DOCUMENTS}
        )
    export = DocumentExport.objects.create(
        organization=organization,
        created_by=user,
        document_ids=[d.pk for d in chosen],
        total=len(chosen),
    )
    transaction.on_commit(lambda: enqueue_step(export.pk))
    return export


def _claim(export_id: int) -> tuple[DocumentExport, str] | None:
    """Take the lease unless another worker holds a fresh one."""
    token = secrets.token_hex(16)
    now = timezone.now()
    stale = now - timedelta(seconds=_lease_seconds())
    with transaction.atomic():
        export = DocumentExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or not export.is_active:
            return None
        held = export.worker_token and export.heartbeat_at and export.heartbeat_at > stale
        if held:
            return None
        export.worker_token = token
        export.heartbeat_at = now
        export.save(update_fields=["worker_token", "heartbeat_at"])
    return export, token


def _beat(export: DocumentExport, token: str, **fields: object) -> bool:
    """Record progress; False when the lease went to another worker (then stop)."""
    updated = DocumentExport.objects.filter(pk=export.pk, worker_token=token).update(
        heartbeat_at=timezone.now(), **fields
    )
    return updated == 1


def _release(export: DocumentExport, token: str, **fields: object) -> None:
    DocumentExport.objects.filter(pk=export.pk, worker_token=token).update(
        worker_token="", **fields
    )


def _documents(export: DocumentExport) -> list[Document]:
    by_pk = Document.objects.select_related("organization").in_bulk(export.document_ids)
    return [by_pk[pk] for pk in export.document_ids if pk in by_pk]


def _latest_pdfs(documents: list[Document]) -> dict[int, DocumentFile]:
    found: dict[int, DocumentFile] = {}
    rows = DocumentFile.objects.filter(
        document_id__in=[d.pk for d in documents], kind=FileKind.PDF
    ).order_by("document_id", "-version")
    for row in rows:
        found.setdefault(row.document_id, row)
    return found


def _prepare(export: DocumentExport, token: str, documents: list[Document]) -> bool:
    """Start fetches for missing PDFs; True when nothing is in flight any more."""
    pdfs = _latest_pdfs(documents)
    waiting = [d for d in documents if d.pk not in pdfs]
    operations: dict[str, Operation] = {}
    for row in Operation.objects.filter(
        organization=export.organization,
        kind=FILES_FETCH,
        target_id__in=[str(d.lexware_id) for d in waiting],
        created_at__gte=export.created_at,
    ).order_by("created_at"):
        operations[row.target_id] = row  # the latest per document
    missing: list[str] = []
    in_flight = 0
    for document in waiting:
        operation = operations.get(str(document.lexware_id))
        if operation is None:
            document_files_fetch(
                organization=export.organization, document=document, lane=Lane.BULK
            )
            in_flight += 1
        elif operation.state in (OperationState.FAILED, OperationState.SUCCEEDED):
            # Succeeded without a PDF (e.g. turned out to be a draft), or failed for good.
            missing.append(document.voucher_number or str(document.lexware_id))
        else:
            in_flight += 1
    _beat(export, token, fetched=len(pdfs), missing=missing)
    return in_flight == 0


def _unique(name: str, used: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, number = name, 1
    while candidate in used:
        number += 1
        candidate = f"{stem}-{number}{dot}{extension}"
    used.add(candidate)
    return candidate


def _build(export: DocumentExport, token: str, documents: list[Document]) -> bool:
    """The ZIP into a temporary file, then into storage; False when the lease was lost."""
    pdfs = _latest_pdfs(documents)
    storage = document_storage()
    used: set[str] = set()
    DocumentExport.objects.filter(pk=export.pk).update(builds=export.builds + 1, added=0)
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            added = 0
            for document in documents:
                stored = pdfs.get(document.pk)
                if stored is None:
                    continue
                name = _unique(download_filename(document, FileKind.PDF), used)
                with (
                    storage.open(stored.storage_name, "rb") as source,
                    archive.open(name, "w") as target,
                ):
                    shutil.copyfileobj(source, target, CHUNK)
                added += 1
                if added % HEARTBEAT_EVERY == 0 and not _beat(export, token, added=added):
                    return False
        spool.seek(0, 2)
        size = spool.tell()
        spool.seek(0)
        name = f"{export.organization.code}/exports/{export.code}.zip"
        if storage.exists(name):  # left by a build that died while saving
            storage.delete(name)
        saved = storage.save(name, File(spool, name=f"{export.code}.zip"))
    return _beat(
        export,
        token,
        added=added,
        storage_name=saved,
        size=size,
        state=ExportState.DONE,
        finished_at=timezone.now(),
    )


def export_step(export_id: int) -> str:
    claimed = _claim(export_id)
    if claimed is None:
        return "not mine"
    export, token = claimed
    documents = _documents(export)
    try:
        if export.state == ExportState.PREPARING:
            if not _prepare(export, token, documents):
                _release(export, token)
                enqueue_step(export.pk, countdown=POLL_SECONDS)
                return "preparing"
            _beat(export, token, state=ExportState.BUILDING)
        if not _build(export, token, documents):
            return "lease lost"
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        _release(export, token, state=ExportState.FAILED, error=type(exc).__name__)
        return "failed"
    _release(export, token)
    return "done"


def export_sweep() -> int:
    """Exports whose worker went quiet (killed, or its message lost) are stepped again."""
    stale = timezone.now() - timedelta(seconds=_lease_seconds())
    quiet = Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, created_at__lt=stale)
    ids = list(
        DocumentExport.objects.filter(
            quiet, state__in=(ExportState.PREPARING, ExportState.BUILDING)
        ).values_list("pk", flat=True)
    )
    for export_id in ids:
        enqueue_step(export_id)
    export_prune()
    return len(ids)


def export_prune() -> int:
    """Finished exports older than EXPORT_KEEP_DAYS go, with their ZIPs: they are copies of
    stored files (which stay), made for one download."""
    keep_days = int(getattr(settings, "EXPORT_KEEP_DAYS", 7))
    old = DocumentExport.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=keep_days),
        state__in=(ExportState.DONE, ExportState.FAILED),
    )
    storage = document_storage()
    pruned = 0
    for export in old:
        if export.storage_name and storage.exists(export.storage_name):
            storage.delete(export.storage_name)
        export.delete()
        pruned += 1
    return pruned
