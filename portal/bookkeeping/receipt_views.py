"""Receipt pages: dropping files on the vouchers page, each file's progress (htmx polling),
retrying a failed upload, attaching files to a voucher, and the files themselves (download
and in-page preview). No view here calls Lexware: every call is an Operation."""

from __future__ import annotations

import io
from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.bookkeeping import selectors, services
from portal.bookkeeping.models import Receipt
from portal.bookkeeping.uploads import MAX_FILES, CheckedFile, check_file
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member, require_viewer

PREVIEW_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'self'"


def _checked_files(request: OrgRequest) -> tuple[list[CheckedFile], list[str]]:
    files = request.FILES.getlist("files")
    checked: list[CheckedFile] = []
    errors: list[str] = []
    if not files:
        errors.append(_("Please choose one or more files."))
    if len(files) > MAX_FILES:
        errors.append(_("At most %(n)d files at once, please.") % {"n": MAX_FILES})
        files = []
    for upload in files:
        try:
            checked.append(check_file(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    return checked, errors


@require_POST
@require_member
def receipt_upload(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Each checked file becomes a receipt and its upload; the rows come back (htmx) or the
    list page shows them."""
    checked, errors = _checked_files(request)
    receipts = []
    for item in checked:
        receipt, created = services.receipt_upload(
            organization=request.organization,
            user=request.user,
            filename=item.filename,
            media_type=item.media_type,
            content=item.content,
        )
        receipts.append(receipt)
        if not created:
            errors.append(
                _("%(name)s was uploaded before (same content); it is not sent again.")
                % {"name": item.filename}
            )
    status = 200 if receipts or not errors else 400
    if request.htmx:
        rows = selectors.receipt_rows(organization=request.organization, receipts=receipts)
        return render(
            request,
            "bookkeeping/_receipts.html#upload-result",
            {"rows": rows, "errors": errors},
            status=status,
        )
    for error in errors:
        messages.error(request, error)
    if receipts:
        messages.success(request, _("%(n)d file(s) are being uploaded.") % {"n": len(receipts)})
    return redirect("bookkeeping:list", org_slug=org_slug)


@require_GET
@require_viewer
def receipt_status(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    receipt = get_object_or_404(Receipt, organization=request.organization, pk=pk)
    row = selectors.receipt_rows(organization=request.organization, receipts=[receipt])[0]
    return render(request, "bookkeeping/_receipts.html#receipt-row", {"row": row})


@require_POST
@require_member
def receipt_retry(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    receipt = get_object_or_404(Receipt, organization=request.organization, pk=pk)
    receipt = services.receipt_retry(
        organization=request.organization, user=request.user, receipt_id=receipt.pk
    )
    if request.htmx:
        row = selectors.receipt_rows(organization=request.organization, receipts=[receipt])[0]
        return render(request, "bookkeeping/_receipts.html#receipt-row", {"row": row})
    return redirect("bookkeeping:list", org_slug=org_slug)


@require_GET
@require_viewer
def receipt_file(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The stored bytes: a download, or with `?inline=1` the in-page preview (framed by our own
    pages only; an XML e-invoice is always a download)."""
    receipt = get_object_or_404(Receipt, organization=request.organization, pk=pk)
    inline = request.GET.get("inline") == "1" and (receipt.is_pdf or receipt.is_image)
    response = FileResponse(
        io.BytesIO(bytes(receipt.content)),
        as_attachment=not inline,
        filename=receipt.filename,
        content_type=receipt.media_type,
    )
    response["Content-Length"] = str(receipt.size)
    patch_cache_control(response, private=True, no_store=True)
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    return cast(HttpResponse, response)  # a streamed response; the decorators take any


@require_POST
@require_member
def voucher_attach(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    voucher = selectors.voucher_detail(organization=request.organization, lexware_id=lexware_id)
    if voucher.status not in ("open", "unchecked"):
        raise Http404("only open or unchecked vouchers take files")
    checked, errors = _checked_files(request)
    for item in checked:
        services.voucher_attach(
            organization=request.organization,
            user=request.user,
            lexware_id=voucher.lexware_id,
            filename=item.filename,
            media_type=item.media_type,
            content=item.content,
        )
    for error in errors:
        messages.error(request, error)
    if checked:
        messages.success(request, _("%(n)d file(s) are being attached.") % {"n": len(checked)})
    return redirect("bookkeeping:detail", org_slug=org_slug, lexware_id=lexware_id)


@require_POST
@require_viewer
def voucher_file_fetch(
    request: OrgRequest, org_slug: str, lexware_id: UUID, file_id: UUID
) -> HttpResponse:
    """Load a file Lexware holds for this voucher, to show it here (a read: viewers too)."""
    voucher = selectors.voucher_detail(organization=request.organization, lexware_id=lexware_id)
    if str(file_id) not in [str(f) for f in (voucher.raw or {}).get("files") or []]:
        raise Http404("not a file of this voucher")
    services.receipt_fetch(
        organization=request.organization,
        user=request.user,
        voucher_id=voucher.lexware_id,
        file_id=file_id,
    )
    return redirect("bookkeeping:detail", org_slug=org_slug, lexware_id=lexware_id)
