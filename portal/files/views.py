"""Staff pages for a document's files: download, in-page preview, fetch on demand.

Nothing here calls Lexware: downloads stream from storage; "fetch" starts an Operation on the
interactive lane and the panel shows its progress.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from csp.decorators import csp_exempt
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from portal.documents import selectors as documents
from portal.documents.models import Document
from portal.files import selectors
from portal.files.models import FileKind
from portal.files.responses import file_response
from portal.files.services import FILES_FETCH, document_files_fetch
from portal.operations.models import Operation
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer


def panel_context(request: OrgRequest, document: Document) -> dict[str, Any]:
    files, older = selectors.current_and_older_files(document)
    operation = (
        Operation.objects.filter(
            organization=request.organization, kind=FILES_FETCH, target_id=str(document.lexware_id)
        )
        .order_by("-created_at")
        .first()
    )
    if operation is not None:
        # The job status links to it under request.organization: no query for the organization.
        operation.organization = request.organization
    return {
        "document": document,
        "has_file": selectors.has_file(document),
        "pdf": files.get(FileKind.PDF),
        "xml": files.get(FileKind.XML),
        "e_invoice": selectors.is_e_invoice(document),
        "older_files": older,
        "files_operation": operation,
        "files_fetching": operation is not None and operation.is_active,
    }


def _document(request: OrgRequest, lexware_id: UUID) -> Document:
    return documents.document_detail(organization=request.organization, lexware_id=lexware_id)


@require_GET
@require_viewer
def files_panel(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    """The document page's files region (reloaded by htmx when a fetch finishes)."""
    document = _document(request, lexware_id)
    return TemplateResponse(request, "files/_panel.html", panel_context(request, document))


@require_POST
@require_viewer
def files_fetch(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    """A person waits: interactive lane. Viewers may ask too (a read, like opening the page)."""
    document = _document(request, lexware_id)
    if selectors.has_file(document):
        document_files_fetch(
            organization=request.organization, document=document, user=request.user
        )
    if request.htmx:
        return TemplateResponse(request, "files/_panel.html", panel_context(request, document))
    return redirect("documents:detail", org_slug=org_slug, lexware_id=lexware_id)


@require_GET
@require_viewer
def file_download(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    stored = selectors.document_file(organization=request.organization, code=code)
    # A streaming response; the role decorators are typed for HttpResponse.
    return cast(HttpResponse, file_response(stored))


@csp_exempt()
@require_GET
@require_viewer
def file_preview(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    """The PDF inline, for the <iframe> on the document page (same origin only)."""
    stored = selectors.document_file(organization=request.organization, code=code)
    return cast(HttpResponse, file_response(stored, inline=stored.kind == FileKind.PDF))
