"""Sales document pages: read-only views of the local mirror.

No view calls Lexware. Opening a document whose details are missing or stale starts the
on-demand fetch Operation on the interactive lane (it coalesces with one already queued); the
page shows its job status and reloads the details region when it finishes.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.core.browse import query_without_page
from portal.core.htmx import render_page
from portal.documents import selectors
from portal.documents.forms import DocumentFilterForm
from portal.documents.models import SALES_TYPES, Document
from portal.documents.services import FETCH, document_fetch
from portal.operations.models import Operation
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer
from portal.organizations.selectors import organization_connection


def list_context(request: OrgRequest, form: DocumentFilterForm, page: Any) -> dict[str, Any]:
    return {
        "form": form,
        "page_obj": page,
        "query": query_without_page(request),
        "sort": form.cleaned_data.get("sort") or selectors.DEFAULT_SORT,
    }


@require_GET
@require_viewer
def document_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = DocumentFilterForm(request.GET)
    page = selectors.document_list(organization=request.organization, **form.filters())
    return render_page(
        request,
        "documents/document_list.html",
        list_context(request, form, page),
        partial="results",
    )


def fetch_operation(request: OrgRequest, document: Document) -> Operation | None:
    """Start (or join) the details fetch on a full page load; an htmx reload of the details
    region only reports the latest fetch, so a failing fetch is never retried in a loop."""
    if request.htmx:
        return (
            Operation.objects.filter(
                organization=request.organization, kind=FETCH, target_id=str(document.lexware_id)
            )
            .order_by("-created_at")
            .first()
        )
    if not document.details_stale:
        return None
    return document_fetch(organization=request.organization, document=document, user=request.user)


def detail_context(request: OrgRequest, document: Document) -> dict[str, Any]:
    raw = document.raw or {}
    operation = fetch_operation(request, document)
    if operation is not None:
        # The job status links to it under request.organization: no query for the organization.
        operation.organization = request.organization
    return {
        "document": document,
        "raw": raw,
        "shown_status": selectors.shown_status(document),
        "payment": selectors.document_payment(organization=request.organization, document=document),
        "related": selectors.related_vouchers(organization=request.organization, document=document),
        "lexware_url": selectors.lexware_url(document),
        "fetch_operation": operation,
        # The details region listens for the job-status fragment's event only while waiting.
        "fetching": operation is not None and operation.is_active,
        "show_fetch_status": operation is not None
        and (operation.is_active or document.details_stale),
    }


@require_GET
@require_viewer
def document_detail(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    document = selectors.document_detail(
        organization=request.organization, lexware_id=lexware_id, types=SALES_TYPES
    )
    return render_page(
        request,
        "documents/document_detail.html",
        detail_context(request, document),
        partial="details",
    )


@require_GET
@require_viewer
def dashboard(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The organization's start page: open and overdue invoices, recent documents."""
    connection = organization_connection(organization=request.organization)
    figures = selectors.dashboard_figures(organization=request.organization)
    return render(
        request, "documents/dashboard.html", {"connection": connection, "figures": figures}
    )
