"""Import pages (members and above) and list exports (viewers too: an export is a read).

Upload → preview (every row checked locally, nothing sent) → start → the job page with its
progress, refreshed by htmx → the error file. No view here calls Lexware.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.articles.forms import ArticleFilterForm
from portal.contacts.forms import ContactFilterForm
from portal.core.htmx import render_page
from portal.imports import selectors, services
from portal.imports.columns import ARTICLES, CONTACTS, cells, headings
from portal.imports.files import FILE_STEMS, error_file, export_filename, file_response
from portal.imports.forms import StartForm, UploadForm
from portal.imports.models import ImportJob
from portal.imports.reading import CSV, XLSX
from portal.imports.rows import heading_of
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member

FORMATS = (CSV, XLSX)
KINDS = (CONTACTS, ARTICLES)


def _job_url(job: ImportJob) -> str:
    from django.urls import reverse

    return reverse("imports:job", kwargs={"org_slug": job.organization.slug, "code": job.code})


@require_http_methods(["GET", "POST"])
@require_member
def import_index(request: OrgRequest, org_slug: str) -> HttpResponse:
    kinds = services.importable_kinds()
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid() and form.parsed is not None:
        job = services.import_prepare(
            organization=request.organization,
            user=request.user,
            kind=form.cleaned_data["kind"],
            file_name=form.cleaned_data["file"].name or "",
            parsed=form.parsed,
        )
        return redirect(_job_url(job))
    context = {
        "form": form,
        "jobs": selectors.job_list(organization=request.organization),
        "template_kinds": [(kind, FILE_STEMS[kind]) for kind in KINDS],
        "importable": kinds,
    }
    return render_page(
        request, "imports/import_index.html", context, status=400 if form.errors else 200
    )


@require_GET
@require_member
def import_template(request: OrgRequest, org_slug: str) -> HttpResponse:
    """An empty file with the headings the import reads (and the export writes)."""
    kind, fmt = request.GET.get("kind", CONTACTS), request.GET.get("format", CSV)
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    return file_response(
        fmt=fmt, headings=headings(kind), rows=[], filename=f"{FILE_STEMS[kind]}-Vorlage"
    )


def _job_context(request: OrgRequest, job: ImportJob) -> dict[str, object]:
    progress = selectors.job_progress(job=job)
    errors = selectors.rows_with_errors(job=job, limit=100)
    return {
        "job": job,
        "progress": progress,
        "error_rows": [
            (row, [(heading_of(job.kind, key), message) for key, message in row.errors])
            for row in errors
        ],
        "skipped_rows": selectors.skipped_rows(job=job),
        "recent_rows": selectors.recent_rows(job=job),
        "can_start": job.kind in services.importable_kinds(),
        "start_form": StartForm(),
    }


@require_GET
@require_member
def import_job(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.job_detail(organization=request.organization, code=code)
    # The progress section polls itself only while the job runs: a finished job's answer has
    # no trigger left, so the polling ends there.
    return render_page(
        request, "imports/import_job.html", _job_context(request, job), partial="progress"
    )


@require_POST
@require_member
def import_start(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.job_detail(organization=request.organization, code=code)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the rows that match a record."))
        return redirect(_job_url(job))
    try:
        services.import_start(
            organization=request.organization, job=job, update_matched=form.update_matched()
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_job_url(job))


@require_POST
@require_member
def import_discard(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.job_detail(organization=request.organization, code=code)
    services.import_discard(organization=request.organization, job=job)
    messages.info(request, _("The import was discarded; nothing was sent to Lexware."))
    return redirect("imports:index", org_slug=request.organization.slug)


@require_POST
@require_member
def import_cancel(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.job_detail(organization=request.organization, code=code)
    services.import_cancel(organization=request.organization, job=job)
    if request.htmx:
        return import_job(request, org_slug, code)
    return redirect(_job_url(job))


@require_GET
@require_member
def import_errors(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    job = selectors.job_detail(organization=request.organization, code=code)
    return error_file(job, selectors.rows_with_errors(job=job))


def _export(request: OrgRequest, kind: str) -> HttpResponse:
    """Exactly what the list shows with the same query string, from the mirror."""
    fmt = request.GET.get("format", CSV)
    if fmt not in FORMATS:
        raise Http404
    form = ContactFilterForm(request.GET) if kind == CONTACTS else ArticleFilterForm(request.GET)
    records = selectors.export_records(
        organization=request.organization, kind=kind, filters=form.filters()
    )
    return file_response(
        fmt=fmt,
        headings=headings(kind),
        rows=(cells(kind, record) for record in records),
        filename=export_filename(kind),
    )


@require_GET
@require_member
def export_contacts(request: OrgRequest, org_slug: str) -> HttpResponse:
    return _export(request, CONTACTS)


@require_GET
@require_member
def export_articles(request: OrgRequest, org_slug: str) -> HttpResponse:
    return _export(request, ARTICLES)
