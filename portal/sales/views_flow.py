"""Ways into the editor from a document (issue 11 items 3 and 4): a follow-up document
(§5.2, sent with `precedingSalesVoucherId`), a copy as any type, and a draft made in the
portal opened again (to change it and send it as a new document, or to finalize a copy).

No view waits on Lexware: when the mirror lacks the preceding document's line items, the
on-demand fetch (portal/documents, interactive lane) is started and the page shows its
progress, then opens the editor when the details are in.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from portal.core.htmx import render_page
from portal.documents.models import SALES_TYPES as DOCUMENT_TYPES
from portal.documents.models import Document
from portal.documents.services import FETCH, document_fetch
from portal.operations.models import Operation
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member
from portal.sales import drafts, followup
from portal.sales.checkpage import check_response
from portal.sales.editing import EditorState
from portal.sales.forms import DocumentForm
from portal.sales.types import KINDS, SALES_TYPES, SalesType
from portal.sales.views import _page, editing_form

WAIT_TEMPLATE = "sales/document_source_wait.html"


def _document(request: OrgRequest, lexware_id: UUID) -> Document:
    return get_object_or_404(
        Document,
        organization=request.organization,
        lexware_id=lexware_id,
        voucher_type__in=DOCUMENT_TYPES,
        deleted_at__isnull=True,
    )


def _target(request: OrgRequest, default: str) -> SalesType:
    wanted = str(request.GET.get("type") or default)
    return SALES_TYPES.get(wanted) or SALES_TYPES.get(default) or SALES_TYPES["invoice"]


def _details_or_wait(request: OrgRequest, document: Document) -> HttpResponse | None:
    """None when the mirror has the document's details (its line items); otherwise the
    progress of fetching them: a full load starts the fetch, an htmx reload only reports it
    and opens the editor (a full load) once the details are in."""
    if request.htmx:
        if document.has_details:
            return HttpResponseClientRedirect(request.get_full_path())
        operation = (
            Operation.objects.filter(
                organization=request.organization, kind=FETCH, target_id=str(document.lexware_id)
            )
            .order_by("-created_at")
            .first()
        )
    elif document.has_details:
        return None
    else:
        operation = document_fetch(
            organization=request.organization, document=document, user=request.user
        )
    context = {"document": document, "operation": operation, "page_path": request.path}
    return render_page(request, WAIT_TEMPLATE, context, partial="source-wait")


def _editor(request: OrgRequest, target: SalesType, data: dict[str, str]) -> HttpResponse:
    page = _page(target.voucher_type)
    return page.show(request, editing_form(page, request, EditorState.from_data(data)))


@require_GET
@require_member
def document_pursue(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    """The editor for a follow-up of this document (`?type=invoice`), prefilled from it."""
    source = _document(request, lexware_id)
    choices = followup.PURSUE.get(source.voucher_type, ())
    if not choices:
        raise Http404("no follow-up for this type")
    target = _target(request, choices[0])
    refusal = followup.pursue_refusal(source, target.voucher_type)
    if refusal:
        messages.error(request, refusal)
        return redirect("documents:detail", org_slug=org_slug, lexware_id=lexware_id)
    waiting = _details_or_wait(request, source)
    if waiting is not None:
        return waiting
    # The details may tell what the list row did not (optional items of a quotation).
    refusal = followup.pursue_refusal(source, target.voucher_type)
    if refusal:
        messages.error(request, refusal)
        return redirect("documents:detail", org_slug=org_slug, lexware_id=lexware_id)
    data = followup.prefill(
        source.raw or {},
        target=target,
        source_type=source.voucher_type,
        source_number=source.voucher_number,
        preceding=str(source.lexware_id),
    )
    return _editor(request, target, data)


@require_GET
@require_member
def document_copy(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    """The editor with a copy of this document, as its own type or another (`?type=`)."""
    source = _document(request, lexware_id)
    target = _target(request, source.voucher_type)
    waiting = _details_or_wait(request, source)
    if waiting is not None:
        return waiting
    data = followup.prefill(source.raw or {}, target=target, source_type=source.voucher_type)
    return _editor(request, target, data)


@require_GET
@require_member
def draft_reopen(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    """A draft the portal made, in the editor as it was sent (`?finalize=1`: straight to the
    check before finalizing a copy that replaces the draft)."""
    document = _document(request, lexware_id)
    create = drafts.portal_create(organization=request.organization, lexware_id=str(lexware_id))
    if create is None or document.status != "draft" or create.kind not in KINDS:
        raise Http404("not a draft made in the portal")
    target = KINDS[create.kind]
    data = followup.reopened(create.input)
    if request.GET.get("finalize") != "1":
        return _editor(request, target, data)
    data["replaces_draft"] = str(lexware_id)
    state = EditorState.from_data(data)
    page = _page(target.voucher_type)
    form = DocumentForm(state.as_data(), **page.form_kwargs(request))
    return check_response(request, form)
