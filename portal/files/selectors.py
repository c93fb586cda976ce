"""Reads of stored files for the pages (staff and customer): the mirror and storage only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.documents.models import SALES_TYPES, Document
from portal.files.models import DocumentFile, FileKind
from portal.files.services import FILES_FETCH
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization

# Lexware renders a file for these once they are finalized (§5.3).
XML_TYPES = ("invoice", "downpaymentinvoice", "creditnote")


def has_file(document: Document) -> bool:
    """Lexware renders files for finalized sales documents only: a draft answers 409. Except
    dunnings: they are always drafts (§5.10) and Lexware renders them all the same (§5.3)."""
    if document.voucher_type == "dunning":
        return True
    return document.voucher_type in SALES_TYPES and document.status not in ("", "draft")


def is_e_invoice(document: Document) -> bool:
    """XRechnung documents have the XML as their legal file (§5.3 Accept table)."""
    raw = document.raw or {}
    return (
        document.voucher_type in XML_TYPES and raw.get("electronicDocumentProfile") == "XRechnung"
    )


def wanted_kinds(document: Document) -> list[str]:
    return [FileKind.PDF, FileKind.XML] if is_e_invoice(document) else [FileKind.PDF]


def _files_of(document: Document) -> QuerySet[DocumentFile]:
    # The organization in every query (tenancy is structural: tests/portal/test_tenant_scoping).
    return DocumentFile.objects.filter(organization_id=document.organization_id, document=document)


def current_files(document: Document) -> dict[str, DocumentFile]:
    """The files of the document's current version, by kind ("pdf", "xml")."""
    if document.version is None:
        return {}
    return {f.kind: f for f in _files_of(document).filter(version=document.version)}


def files_complete(document: Document) -> bool:
    files = current_files(document)
    return all(kind in files for kind in wanted_kinds(document))


def older_files(document: Document) -> list[DocumentFile]:
    """Files of earlier versions, kept for the audit."""
    files = _files_of(document)
    if document.version is not None:
        files = files.exclude(version=document.version)
    return list(files)


def current_and_older_files(
    document: Document,
) -> tuple[dict[str, DocumentFile], list[DocumentFile]]:
    """`current_files` and `older_files` in one query (the document page shows both)."""
    current: dict[str, DocumentFile] = {}
    older: list[DocumentFile] = []
    for stored in _files_of(document):
        if document.version is not None and stored.version == document.version:
            current[stored.kind] = stored
        else:
            older.append(stored)
    return current, older


def latest_file(document: Document, kind: str) -> DocumentFile | None:
    """The newest stored file of a kind: the current version's, else the last one fetched
    (finalized documents rarely change; a customer still gets the last rendering)."""
    return _files_of(document).filter(kind=kind).order_by("-version").first()


def files_failed(document: Document) -> str:
    """Why the last fetch of the document's files failed ("" when it did not)."""
    last = (
        Operation.objects.filter(
            organization_id=document.organization_id,
            kind=FILES_FETCH,
            target_id=str(document.lexware_id),
        )
        .order_by("-created_at")
        .values_list("state", "error_message")
        .first()
    )
    if last is None or last[0] != OperationState.FAILED:
        return ""
    return str(last[1] or "")


def document_file(*, organization: Organization, code: object) -> DocumentFile:
    return get_object_or_404(
        DocumentFile.objects.select_related("document"), organization=organization, code=code
    )
