""" "Preview PDF" in the editor (issue 19): the form's current input, priced and drawn by a
worker (portal/rendering) with the "Entwurf" mark; nothing is sent to Lexware."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member
from portal.rendering import services as rendering
from portal.rendering.views import job_context
from portal.sales.forms import DocumentForm
from portal.sales.views import _page

REGION = "rendering/_editor_region.html"


@require_POST
@require_member
def document_preview_pdf(request: OrgRequest, org_slug: str, voucher_type: str) -> HttpResponse:
    page = _page(voucher_type)
    form = DocumentForm(request.POST, **page.form_kwargs(request))
    if not form.is_valid():
        if request.htmx:
            message = _("Correct the marked fields first: the preview shows a complete document.")
            return render(request, REGION, {"unavailable": message})
        return page.show(request, form)
    job = rendering.editor_preview(
        organization=request.organization,
        voucher=form.to_lexware(),
        voucher_type=page.sales_type.voucher_type,
        user=request.user,
    )
    if request.htmx:
        return render(request, REGION, job_context(job))
    return redirect("rendering:job", org_slug=org_slug, code=job.code)
