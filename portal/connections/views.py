from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.decorators import require_recent_auth
from portal.connections import services
from portal.connections.forms import ApiKeyForm, KeyExpiryForm
from portal.connections.services import VERIFY
from portal.core.htmx import render_page
from portal.operations.models import Operation
from portal.organizations.http import OrgRequest
from portal.organizations.models import LexwareConnection
from portal.organizations.permissions import require_admin


def _render(
    request: OrgRequest,
    form: ApiKeyForm,
    *,
    status: int = 200,
    expiry_form: KeyExpiryForm | None = None,
) -> HttpResponse:
    connection = LexwareConnection.objects.filter(organization=request.organization).first()
    if expiry_form is None:
        expiry_form = KeyExpiryForm(
            initial={"key_expires_on": connection.key_expires_on if connection else None}
        )
    operation = (
        Operation.objects.filter(organization=request.organization, kind=VERIFY)
        .order_by("-created_at")
        .first()
    )
    context = {
        "connection": connection,
        "form": form,
        "operation": operation,
        "expiry_form": expiry_form,
    }
    return render_page(
        request, "connection/connection.html", context, partial="connection-panel", status=status
    )


@require_GET
@require_admin
def connection_detail(request: OrgRequest, org_slug: str) -> HttpResponse:
    return _render(request, ApiKeyForm())


@sensitive_variables("form")
@sensitive_post_parameters("api_key")
@require_POST
@require_admin
@require_recent_auth(return_to="connection:detail")
def connection_save(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=200)
    services.connection_save(
        organization=request.organization, user=request.user, api_key=form.cleaned_data["api_key"]
    )
    if request.htmx:
        return _render(request, ApiKeyForm())
    return redirect("connection:detail", org_slug=org_slug)


@require_POST
@require_admin
def connection_verify(request: OrgRequest, org_slug: str) -> HttpResponse:
    if LexwareConnection.objects.filter(organization=request.organization).exists():
        services.connection_verify(organization=request.organization, user=request.user)
    if request.htmx:
        return _render(request, ApiKeyForm())
    return redirect("connection:detail", org_slug=org_slug)


@require_POST
@require_admin
@require_recent_auth(return_to="connection:detail")
def connection_disconnect(request: OrgRequest, org_slug: str) -> HttpResponse:
    services.connection_disconnect(organization=request.organization, user=request.user)
    if request.htmx:
        return _render(request, ApiKeyForm())
    return redirect("connection:detail", org_slug=org_slug)


@require_POST
@require_admin
def connection_expiry(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = KeyExpiryForm(request.POST)
    connected = LexwareConnection.objects.filter(organization=request.organization).exists()
    if form.is_valid() and not connected:
        form.add_error(None, _("Enter the API key first, then the date it ends."))
    if not form.is_valid():
        return _render(request, ApiKeyForm(), expiry_form=form)
    services.connection_expiry_set(
        organization=request.organization,
        user=request.user,
        expires_on=form.cleaned_data["key_expires_on"],
    )
    if request.htmx:
        return _render(request, ApiKeyForm())
    return redirect("connection:detail", org_slug=org_slug)
