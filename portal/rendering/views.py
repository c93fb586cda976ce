"""Staff pages of rendered PDFs: ask for a draft preview or a statement, watch the job (htmx
polling), see the PDF inline, download it, retry a failed render. No view draws a PDF: the
worker does (tasks.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast
from uuid import UUID

from csp.decorators import csp_exempt
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_POST

from portal.contacts.selectors import contact_detail
from portal.documents import selectors as documents
from portal.files.responses import PREVIEW_CSP
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer
from portal.rendering import selectors, services
from portal.rendering.filenames import statement_filename
from portal.rendering.models import RenderJob, RenderKind, RenderState
from portal.rendering.storage import open_render

PAGE = "rendering/job.html"
# A queued job nobody picked up for this long (broker down, worker stopped) may be sent again.
STUCK_AFTER = timedelta(seconds=60)
RUNNING_STUCK_AFTER = timedelta(seconds=300)


def job_context(job: RenderJob | None) -> dict[str, Any]:
    now = timezone.now()
    stuck = job is not None and (
        (job.state == RenderState.PENDING and job.created_at < now - STUCK_AFTER)
        # A worker that died mid-render (past the task's hard time limit) leaves it running.
        or (
            job.state == RenderState.RUNNING
            and job.started_at is not None
            and job.started_at < now - RUNNING_STUCK_AFTER
        )
    )
    return {"job": job, "job_stuck": stuck}


def job_response(request: OrgRequest, job: RenderJob, *, status: int = 200) -> HttpResponse:
    """The job's region for htmx, else its page (which also is where a plain form lands)."""
    template = f"{PAGE}#job" if request.htmx else PAGE
    response = TemplateResponse(request, template, job_context(job), status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def started(request: OrgRequest, job: RenderJob) -> HttpResponse:
    if request.htmx:
        return job_response(request, job)
    return redirect("rendering:job", org_slug=request.organization.slug, code=job.code)


def not_renderable(request: OrgRequest, message: str) -> HttpResponse:
    # htmx swaps no 4xx answer (the page would only show the generic error toast), so the
    # reason goes to htmx with 200; a plain form post gets the page with 409.
    return TemplateResponse(
        request,
        f"{PAGE}#unavailable" if request.htmx else PAGE,
        {"unavailable": message},
        status=200 if request.htmx else 409,
    )


@require_POST
@require_viewer
def document_preview(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    """Viewers may ask too: a preview is a read of the mirror, like opening the page."""
    document = documents.document_detail(organization=request.organization, lexware_id=lexware_id)
    try:
        job = services.document_preview(
            organization=request.organization, document=document, user=request.user
        )
    except services.NotRenderable:
        return not_renderable(
            request, gettext("The document's details have not been fetched from Lexware yet.")
        )
    return started(request, job)


@require_POST
@require_viewer
def statement(request: OrgRequest, org_slug: str, contact_id: UUID) -> HttpResponse:
    contact = contact_detail(organization=request.organization, lexware_id=contact_id)
    job = services.statement(
        organization=request.organization,
        contact=contact,
        language=get_language() or "de",
        user=request.user,
    )
    return started(request, job)


@require_GET
@require_viewer
def job_status(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.render_job(organization=request.organization, code=code)
    return job_response(request, job)


@require_POST
@require_viewer
def job_retry(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.render_job(organization=request.organization, code=code)
    if job.failed or job_context(job)["job_stuck"]:
        job = services.retry(job=job)
    return started(request, job)


def _file(request: OrgRequest, code: UUID, *, inline: bool) -> FileResponse:
    job = selectors.render_job(organization=request.organization, code=code)
    return pdf_response(job, inline=inline)


def statement_response(job: RenderJob) -> HttpResponse:
    """A finished statement as a download (the customer link page's statement)."""
    return cast(HttpResponse, pdf_response(job, inline=False))


def pdf_response(job: RenderJob, *, inline: bool) -> FileResponse:
    if not job.succeeded or not job.storage_name:
        raise Http404
    try:
        handle = open_render(job)
    except FileNotFoundError:
        raise Http404 from None
    if job.kind == RenderKind.STATEMENT:
        # Named like the e-mail's attachment, in the language of the page it is downloaded from.
        day = timezone.localdate(job.created_at)
        filename = statement_filename(get_language() or "de", day=day)
    else:
        filename = f"preview-{job.created_at:%Y-%m-%d}-{str(job.code)[:8]}.pdf"
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename,
        content_type="application/pdf",
    )
    patch_cache_control(response, private=True, no_store=True)
    if inline:
        response["Content-Security-Policy"] = PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@csp_exempt()
@require_GET
@require_viewer
def job_pdf(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    """The PDF inline, for the <iframe> (same origin only, like portal/files' preview)."""
    return cast(HttpResponse, _file(request, code, inline=True))


@require_GET
@require_viewer
def job_download(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    return cast(HttpResponse, _file(request, code, inline=False))
