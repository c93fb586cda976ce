"""Organization pages outside the members area: home, list, create."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from portal.accounts.http import AuthedRequest
from portal.core.errors import ApplicationError
from portal.core.htmx import render_page
from portal.organizations import services
from portal.organizations.forms import OrganizationCreateForm
from portal.organizations.selectors import user_organizations


@require_GET
@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Back to the organization used last; otherwise the only one; otherwise the list."""
    memberships = list(user_organizations(user=request.user))
    last = request.session.get("last_organization")
    slugs = [m.organization.slug for m in memberships]
    if last in slugs:
        return redirect("dashboard:index", org_slug=last)
    if len(memberships) == 1:
        return redirect("dashboard:index", org_slug=slugs[0])
    return redirect("organizations:list")


@require_GET
@login_required
def organization_list(request: AuthedRequest) -> HttpResponse:
    memberships = user_organizations(user=request.user)
    return render(request, "organizations/organization_list.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
@login_required
def organization_create(request: AuthedRequest) -> HttpResponse:
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                user=request.user, name=form.cleaned_data["name"], slug=form.cleaned_data["slug"]
            )
        except ApplicationError as error:
            form.add_error(error.extra.get("field"), error.message)
        else:
            messages.success(request, _("Organization created. You are its owner."))
            if request.htmx:
                return HttpResponseClientRedirect(
                    reverse("dashboard:index", kwargs={"org_slug": organization.slug})
                )
            return redirect("dashboard:index", org_slug=organization.slug)
    return render_page(
        request, "organizations/organization_form.html", {"form": form}, partial="organization-form"
    )
