"""Accepting an e-mailed invitation (global URL, token in the path).

GET only shows what the link is for; joining happens on POST, because mail scanners open
links (the healthchecks `unsubscribe_reports` lesson). Unknown, expired, used and revoked
tokens all get the same 404 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.accounts.models import User
from portal.core.errors import ApplicationError
from portal.core.htmx import render_page
from portal.organizations import services
from portal.organizations.forms import NewAccountForm
from portal.organizations.models import Invitation
from portal.organizations.selectors import invitation_for_token

TEMPLATE = "organizations/invitation_accept.html"


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "organizations/invitation_invalid.html", status=404)


def _with_private_headers(response: HttpResponse) -> HttpResponse:
    # The token is in the URL: do not hand it on in a Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _situation(request: HttpRequest, invitation: Invitation) -> str:
    """Which of the four ways through the page applies to this visitor."""
    if request.user.is_authenticated:
        return (
            "same_user" if request.user.email.lower() == invitation.email.lower() else "other_user"
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        return "sign_in"
    return "new_account"


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token=token)
    if invitation is None:
        return _with_private_headers(_invalid(request))
    situation = _situation(request, invitation)
    form = NewAccountForm(email=invitation.email) if situation == "new_account" else None
    error = ""
    if request.method == "POST":
        try:
            if situation == "same_user":
                membership = services.invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
                return _joined(request, membership.organization.slug, membership.organization.name)
            if situation == "new_account":
                form = NewAccountForm(request.POST, email=invitation.email)
                if form.is_valid():
                    membership = services.invitation_accept(
                        invitation=invitation,
                        full_name=form.cleaned_data["full_name"],
                        password=form.cleaned_data["password1"],
                    )
                    login(
                        request,
                        membership.user,
                        backend="django.contrib.auth.backends.ModelBackend",
                    )
                    return _joined(
                        request, membership.organization.slug, membership.organization.name
                    )
        except ApplicationError as exc:
            error = exc.message
            if invitation_for_token(token=token) is None:
                return _with_private_headers(_invalid(request))
    context = {
        "invitation": invitation,
        "situation": situation,
        "form": form,
        "error": error,
        "token": token,
    }
    return _with_private_headers(render_page(request, TEMPLATE, context, partial="accept-panel"))


def _joined(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    messages.success(request, _("Welcome to %(org)s.") % {"org": name})
    request.session["last_organization"] = slug
    return redirect("dashboard:index", org_slug=slug)
