"""Bookkeeping voucher pages (lexware-api.md §5.23): read-only views of the local mirror,
the same Document table as the sales documents, restricted to BOOKKEEPING_TYPES."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from lexware import deeplinks
from portal.bookkeeping import selectors
from portal.core.htmx import render_page
from portal.documents.forms import VoucherFilterForm
from portal.documents.views import detail_context, list_context
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer


@require_GET
@require_viewer
def voucher_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = VoucherFilterForm(request.GET)
    page = selectors.voucher_list(organization=request.organization, **form.filters())
    return render_page(
        request,
        "bookkeeping/voucher_list.html",
        list_context(request, form, page),
        partial="results",
    )


@require_GET
@require_viewer
def voucher_detail(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    voucher = selectors.voucher_detail(organization=request.organization, lexware_id=lexware_id)
    context = detail_context(request, voucher)
    context["voucher_items"] = selectors.voucher_items(
        organization=request.organization, voucher=voucher
    )
    context["files_url"] = deeplinks.files_inbox_url()
    return render_page(request, "bookkeeping/voucher_detail.html", context, partial="details")
