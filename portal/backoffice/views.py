"""Operators' pages (is_staff). Everyone else gets 404 for every backoffice URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from portal.accounts.mfa import mfa_gate
from portal.audit.models import ErrorEvent
from portal.backoffice import health as health_checks
from portal.core.htmx import render_page
from portal.organizations.models import Organization


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """404 (not a login redirect) for anyone who is not an active operator: no hint it exists.
    Operators themselves need a session verified with MFA (reliability.md S6)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise Http404("Not found")
        return mfa_gate(request) or view(request, *args, **kwargs)

    wrapper.staff_only = True  # type: ignore[attr-defined]
    return wrapper


@staff_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Is everything working? Reloads itself (the `checks` partial) every 15 seconds."""
    return render_page(request, "backoffice/health.html", health_checks.collect(), partial="checks")


@staff_required
@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    organizations = (
        Organization.objects.annotate(member_count=Count("memberships"))
        .select_related("lexware_connection")
        .order_by("name")
    )
    return render(request, "backoffice/organization_list.html", {"organizations": organizations})


@staff_required
@require_GET
def error_list(request: HttpRequest) -> HttpResponse:
    """Unhandled errors of web and worker, grouped (a repeat counts up), newest first."""
    where = request.GET.get("where", "")
    errors = ErrorEvent.objects.all()
    if where in ("web", "worker"):
        errors = errors.filter(where=where)
    return render(request, "backoffice/error_list.html", {"errors": errors[:100], "where": where})


@staff_required
@require_GET
def error_detail(request: HttpRequest, pk: int) -> HttpResponse:
    error = get_object_or_404(ErrorEvent, pk=pk)
    return render(request, "backoffice/error_detail.html", {"error": error})
