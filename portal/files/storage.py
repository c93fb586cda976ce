"""Where fetched files live: Django's storage API, alias "documents" (settings.STORAGES).

Names are built here from ids only (organization, document, version, kind), never from
anything Lexware or a user sent (ASVS 5.3.2). Pages stream from here; nobody waits on Lexware
for a file that was fetched once (DESIGN.md §8).
"""

from __future__ import annotations

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction

from portal.documents.models import Document
from portal.documents.selectors import dunned_invoice
from portal.files.models import DocumentFile, FileKind

STORAGE_ALIAS = "documents"
EXTENSIONS = {FileKind.PDF: "pdf", FileKind.XML: "xml"}


def document_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def storage_name(*, document: Document, version: int, kind: str) -> str:
    return (
        f"{document.organization.code}/{document.lexware_id}/"
        f"v{version}/{kind}.{EXTENSIONS[FileKind(kind)]}"
    )


def store_file(*, document: Document, version: int, kind: str, content: bytes) -> DocumentFile:
    """Keep one file of one document version; a second call for the same version keeps the
    first (a retried fetch writes nothing twice)."""
    existing = DocumentFile.objects.filter(
        organization_id=document.organization_id, document=document, version=version, kind=kind
    ).first()
    if existing is not None:
        return existing
    storage = document_storage()
    name = storage_name(document=document, version=version, kind=kind)
    if storage.exists(name):  # left by a fetch that died before its row was written
        storage.delete(name)
    saved = storage.save(name, ContentFile(content))
    try:
        with transaction.atomic():
            return DocumentFile.objects.create(
                organization=document.organization,
                document=document,
                version=version,
                kind=kind,
                storage_name=saved,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
            )
    except IntegrityError:
        return DocumentFile.objects.get(document=document, version=version, kind=kind)


def download_filename(document: Document, kind: str) -> str:
    """A server-built file name: letters, digits, dot, dash and underscore only, so a document
    number with quotes, slashes or line breaks cannot break Content-Disposition (L9)."""
    number = document.voucher_number
    if not number and document.voucher_type == "dunning":
        # A dunning has no number of its own (§5.10): Mahnung-RE10132.pdf names its invoice.
        invoice = dunned_invoice(document=document)
        number = invoice.voucher_number if invoice else ""
    stem = f"{document.type_label}-{number or document.lexware_id}"
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._") or "document"
    return f"{stem[:120]}.{EXTENSIONS[FileKind(kind)]}"
