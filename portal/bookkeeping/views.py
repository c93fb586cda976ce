"""Bookkeeping voucher pages (lexware-api.md §5.23): the list of the local mirror with the
receipt drop zone, the detail with its files, and the voucher form (new, and complete/change),
whose writes run as Operations (DESIGN.md §7). No view here calls Lexware."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lexware import deeplinks
from portal.bookkeeping import selectors, services
from portal.bookkeeping.forms import VoucherForm
from portal.core.htmx import render_page
from portal.documents.forms import VoucherFilterForm
from portal.documents.views import detail_context, list_context
from portal.operations.forms import WriteForm
from portal.operations.writeflow import WritePage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member, require_viewer


@dataclass(frozen=True)
class VoucherPage(WritePage):
    """The voucher form's choices (contacts, posting categories) come from the mirror."""

    def form_kwargs(self, request: OrgRequest) -> dict[str, Any]:
        return {"organization": request.organization}

    def edit_form(self, request: OrgRequest, record: Any, *, target_id: str) -> WriteForm:
        form = super().edit_form(request, record, target_id=target_id)
        cast(VoucherForm, form).set_organization(request.organization)
        return form


NEW_VOUCHER = VoucherPage(
    "bookkeeping/voucher_form.html", VoucherForm, services.CREATE, input_key="voucher"
)
EDIT_VOUCHER = VoucherPage(
    "bookkeeping/voucher_form.html",
    VoucherForm,
    services.UPDATE,
    input_key="voucher",
    atomic=("voucherItems",),
)


@require_GET
@require_viewer
def voucher_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = VoucherFilterForm(request.GET)
    page = selectors.voucher_list(organization=request.organization, **form.filters())
    context = list_context(request, form, page)
    if not request.htmx:
        context["receipt_rows"] = selectors.recent_receipts(organization=request.organization)
    return render_page(request, "bookkeeping/voucher_list.html", context, partial="results")


@require_GET
@require_viewer
def voucher_detail(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    voucher = selectors.voucher_detail(organization=request.organization, lexware_id=lexware_id)
    context = detail_context(request, voucher)
    context["voucher_items"] = selectors.voucher_items(
        organization=request.organization, voucher=voucher
    )
    context["voucher_files"] = selectors.voucher_files(
        organization=request.organization, voucher=voucher
    )
    context["preview"] = selectors.preview_receipt(
        organization=request.organization, voucher=voucher
    )
    context["writable"] = voucher.status in ("open", "unchecked")
    context["files_url"] = deeplinks.files_inbox_url()
    return render_page(request, "bookkeeping/voucher_detail.html", context, partial="details")


# ---------------------------------------------------------------- new voucher


def _form_context(request: OrgRequest, url: str, **extra: Any) -> dict[str, Any]:
    return {
        "form_url": url,
        "totals_url": reverse("bookkeeping:totals", kwargs={"org_slug": request.organization.slug}),
        **extra,
    }


def _create_status_url(request: OrgRequest, code: UUID) -> str:
    return reverse(
        "bookkeeping:create_status", kwargs={"org_slug": request.organization.slug, "code": code}
    )


def _submitted(request: OrgRequest, *, editing: bool) -> tuple[VoucherForm, bool]:
    form, row_action = NEW_VOUCHER.submitted_form(request, editing=editing)
    voucher_form = cast(VoucherForm, form)
    voucher_form.set_organization(request.organization)
    return voucher_form, row_action


@require_http_methods(["GET", "POST"])
@require_member
def voucher_create(request: OrgRequest, org_slug: str) -> HttpResponse:
    url = reverse("bookkeeping:create", kwargs={"org_slug": org_slug})
    context = _form_context(request, url)
    if request.method != "POST":
        return NEW_VOUCHER.render_form(request, NEW_VOUCHER.form(request), context)
    form, row_action = _submitted(request, editing=False)
    if not row_action and form.is_valid():
        try:
            operation = services.voucher_create(
                organization=request.organization,
                user=request.user,
                data=form.to_lexware(),
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status_url = _create_status_url(request, operation.code)
            return NEW_VOUCHER.started(request, operation, status_url=status_url, context=context)
    return NEW_VOUCHER.render_form(request, form, context)


@require_GET
@require_member
def voucher_create_status(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    operation = NEW_VOUCHER.operation(request, code)
    url = reverse("bookkeeping:create", kwargs={"org_slug": org_slug})
    return NEW_VOUCHER.status(
        request,
        operation,
        status_url=_create_status_url(request, operation.code),
        context=_form_context(request, url),
    )


@require_POST
@require_member
def voucher_totals(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The positions' tax and the totals while the user types (htmx): the posted form read as
    the form reads it, computed by lexware.totals as Lexware checks it."""
    form = VoucherForm(request.POST, organization=request.organization)
    form.is_valid()
    # Only the region's content: the region itself stays on the page with its htmx attributes.
    return render(request, "bookkeeping/_voucher_fields.html#totals", {"form": form})


# ---------------------------------------------------------------- complete / change


def _edit_context(request: OrgRequest, voucher: Any) -> dict[str, Any]:
    url = reverse(
        "bookkeeping:edit",
        kwargs={"org_slug": request.organization.slug, "lexware_id": voucher.lexware_id},
    )
    return _form_context(
        request,
        url,
        voucher=voucher,
        editing=True,
        preview=selectors.preview_receipt(organization=request.organization, voucher=voucher),
    )


def _edit_status_url(request: OrgRequest, voucher: Any, code: UUID) -> str:
    return reverse(
        "bookkeeping:edit_status",
        kwargs={
            "org_slug": request.organization.slug,
            "lexware_id": voucher.lexware_id,
            "code": code,
        },
    )


@require_http_methods(["GET", "POST"])
@require_member
def voucher_edit(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    voucher = selectors.voucher_detail(organization=request.organization, lexware_id=lexware_id)
    context = _edit_context(request, voucher)
    if voucher.status not in ("open", "unchecked") or not voucher.has_details:
        return render(request, "bookkeeping/voucher_form.html", {**context, "locked": True})
    if request.method != "POST":
        form = EDIT_VOUCHER.edit_form(request, voucher.raw or {}, target_id=str(lexware_id))
        return EDIT_VOUCHER.render_form(request, form, context)
    form, row_action = _submitted(request, editing=True)
    if not row_action and form.is_valid():
        try:
            operation = services.voucher_update(
                organization=request.organization,
                user=request.user,
                lexware_id=voucher.lexware_id,
                data=form.to_lexware(),
                base_version=form.version,
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status_url = _edit_status_url(request, voucher, operation.code)
            return EDIT_VOUCHER.started(request, operation, status_url=status_url, context=context)
    return EDIT_VOUCHER.render_form(request, form, context)


@require_GET
@require_member
def voucher_edit_status(
    request: OrgRequest, org_slug: str, lexware_id: UUID, code: UUID
) -> HttpResponse:
    voucher = selectors.voucher_detail(organization=request.organization, lexware_id=lexware_id)
    operation = EDIT_VOUCHER.operation(request, code, target_id=str(lexware_id))
    return EDIT_VOUCHER.status(
        request,
        operation,
        status_url=_edit_status_url(request, voucher, operation.code),
        context=_edit_context(request, voucher),
    )
