"""Bulk export pages: start an export from the documents list (the ticked rows, or every
document matching the filter), watch its progress, download the ZIP. No view builds or
fetches anything: a worker does (portal/files/exports.py)."""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.core.htmx import render_page
from portal.documents import selectors as documents
from portal.documents.forms import DocumentFilterForm
from portal.files.exports import MAX_DOCUMENTS, document_export_create
from portal.files.models import DocumentExport, ExportState
from portal.files.storage import document_storage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer

TEMPLATE = "files/export.html"


def _chosen(request: OrgRequest) -> list[object]:
    """The ticked documents, or (scope=all) every document the list's filter matches."""
    base = documents.document_queryset
    if request.POST.get("scope") == "all":
        # Invalid filter values are left out, as on the list page itself.
        filters = DocumentFilterForm(request.POST).filters()
        query = base(
            organization=request.organization,
            types=filters["types"],
            status=filters["status"],
            date_from=filters["date_from"],
            date_to=filters["date_to"],
            contact=filters["contact"],
            query=filters.get("query", ""),
        )
        return list(query.order_by("-voucher_date", "-pk")[: MAX_DOCUMENTS + 1])
    ids: list[UUID] = []
    for value in request.POST.getlist("document")[: MAX_DOCUMENTS + 1]:
        try:
            ids.append(UUID(value))
        except ValueError:
            continue
    return list(
        base(organization=request.organization)
        .filter(lexware_id__in=ids)
        .order_by("-voucher_date", "-pk")
    )


@require_POST
@require_viewer
def export_create(request: OrgRequest, org_slug: str) -> HttpResponse:
    chosen = _chosen(request)
    if not chosen:
        messages.error(request, _("Tick the documents to export, or export all that match."))
        return redirect("documents:list", org_slug=org_slug)
    try:
        export = document_export_create(
            organization=request.organization,
            user=request.user,
            documents=chosen,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:list", org_slug=org_slug)
    return redirect("files:export", org_slug=org_slug, code=export.code)


def _export(request: OrgRequest, code: UUID) -> DocumentExport:
    return get_object_or_404(DocumentExport, organization=request.organization, code=code)


@require_GET
@require_viewer
def export_detail(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    export = _export(request, code)
    return render_page(request, TEMPLATE, {"export": export}, partial="progress")


@require_GET
@require_viewer
def export_download(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    export = _export(request, code)
    if export.state != ExportState.DONE or not export.storage_name:
        return redirect("files:export", org_slug=org_slug, code=code)
    stamp = export.created_at.strftime("%Y-%m-%d")
    response = FileResponse(
        document_storage().open(export.storage_name, "rb"),
        as_attachment=True,
        filename=f"PDF-Export-{stamp}-{str(export.code)[:8]}.zip",
        content_type="application/zip",
    )
    patch_cache_control(response, private=True, no_store=True)
    return cast(HttpResponse, response)
