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
