"""The audit trail: an organization's admins see their organization's (/o/<slug>/audit/),
operators everyone's (/backoffice/audit/). Both filter and export CSV; neither can change it."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.audit.models import AuditEvent
from portal.audit.recorder import Action, record
from portal.audit.selectors import audit_events, csv_rows
from portal.backoffice.forms import AuditFilterForm, BackofficeAuditFilterForm
from portal.backoffice.views import staff_required
from portal.core.htmx import render_page
from portal.organizations.http import OrgRequest
from portal.organizations.models import Membership
from portal.organizations.permissions import require_admin

PAGE_SIZE = 100


def _member_ids(request: OrgRequest) -> list[int]:
    return list(
        Membership.objects.filter(organization=request.organization).values_list(
            "user_id", flat=True
        )
    )


def _filtered(
    form: AuditFilterForm, organization_id: int | None, member_ids: list[int] | None = None
) -> QuerySet[AuditEvent]:
    # The fields that are valid filter; an invalid one (shown with its error) is left out.
    form.is_valid()
    filters: dict[str, Any] = getattr(form, "cleaned_data", {})
    return audit_events(
        organization_id=organization_id,
        member_ids=member_ids,
        **{k: v for k, v in filters.items() if v},
    )


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> Any:
    return Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))


def _csv(
    request: HttpRequest, events: QuerySet[AuditEvent], name: str, **audit: Any
) -> HttpResponse:
    record(Action.AUDIT_EXPORTED, details={"filters": request.GET.dict()}, **audit)
    # Rows are written as they are read (iterator in chunks), not held as objects.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    for line in csv_rows(events):
        response.write(line)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{name}-{stamp}.csv"'
    return response


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@require_admin
def org_audit(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = _filtered(form, request.organization.pk, _member_ids(request))
    context = {"form": form, "page": _page(request, events), "query": _query_without_page(request)}
    return render_page(request, "backoffice/org_audit.html", context, partial="events")


@require_GET
@require_admin
def org_audit_export(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = _filtered(form, request.organization.pk, _member_ids(request))
    return _csv(request, events, request.organization.slug, organization=request.organization)


@staff_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    form = BackofficeAuditFilterForm(request.GET or None)
    events = _filtered(form, None)
    context = {"form": form, "page": _page(request, events), "query": _query_without_page(request)}
    return render_page(request, "backoffice/audit.html", context, partial="events")


@staff_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    form = BackofficeAuditFilterForm(request.GET or None)
    return _csv(request, _filtered(form, None), "all")
