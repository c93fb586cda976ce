"""Files Lexware rendered for a finalized document (§5.3), kept by document version.

A changed document (a new Lexware `version`) gets new files; the old ones stay for the audit.
The bytes live in the "documents" storage (filesystem under PORTAL_VAR_DIR, or S3-compatible
when configured); the row says where, under a server-built name.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.organizations.models import Organization


class FileKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    XML = "xml", _("XRechnung XML")


MEDIA_TYPES = {FileKind.PDF: "application/pdf", FileKind.XML: "application/xml"}


class DocumentFile(models.Model):
    # Public id for URLs (DESIGN.md §2 principle 6).
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    # Lexware's version of the document the file was rendered from.
    version = models.IntegerField()
    kind = models.CharField(max_length=8, choices=FileKind.choices)
    storage_name = models.CharField(max_length=300)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    fetched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version", "kind"], name="one_file_per_document_version_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version} {self.kind}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[FileKind(self.kind)]


class ExportState(models.TextChoices):
    # Missing PDFs are being fetched from Lexware (by the fetch kind, through the limiter).
    PREPARING = "preparing", _("Being prepared")
    BUILDING = "building", _("Building the ZIP")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DocumentExport(models.Model):
    """One ZIP of many documents' PDFs (bulk export), built by a worker into storage.

    The worker holds a lease (token + heartbeat); a worker killed mid-way leaves a stale
    heartbeat, and the next delivery or the sweeper starts the build again from the top into
    a fresh temporary file, so the ZIP in storage is always complete, every file in it once.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Primary keys of the exported documents, in list order.
    document_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    fetched = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    # Numbers of documents whose PDF Lexware did not give (left out, listed on the page).
    missing = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.PREPARING
    )
    worker_token = models.CharField(max_length=32, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    builds = models.PositiveIntegerField(default=0)
    storage_name = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="export_state_heartbeat")]

    def __str__(self) -> str:
        return f"export {self.code} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in (ExportState.PREPARING, ExportState.BUILDING)
