"""Support access ("view as", issue 15 item 4): an operator opens an organization read-only
for a limited time, with a stated reason; the organization sees it in its audit trail."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.audit.models import SupportSession
from portal.audit.support import support_end, support_minutes, support_start
from portal.backoffice.forms import SupportForm
from portal.backoffice.views import staff_required
from portal.organizations.models import Organization


@staff_required
@require_http_methods(["GET", "POST"])
def support_session_start(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    form = SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        support_start(
            operator=request.user, organization=organization, reason=form.cleaned_data["reason"]
        )
        return redirect("dashboard:index", org_slug=organization.slug)
    sessions = SupportSession.objects.filter(organization=organization).select_related("operator")[
        :20
    ]
    context = {
        "organization": organization,
        "form": form,
        "minutes": support_minutes(),
        "sessions": sessions,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/support_start.html", context, status=status)


@staff_required
@require_POST
def support_session_end(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(SupportSession, pk=pk, operator=request.user)
    support_end(operator=request.user, session=session)
    return redirect("backoffice:organizations")
