"""Resolves `/o/<slug>/…` into request.organization and request.membership (like pretix).

Outsiders get a 404 for every URL under an organization, whether it exists or not, so that
the response is no oracle for which organizations exist. When the organization requires MFA,
its owners and admins without a verified session go to enrolment or the code page first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from portal.accounts.mfa import mfa_gate
from portal.organizations.models import Membership


class OrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        slug = view_kwargs.get("org_slug")
        if slug is None:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = (
            Membership.objects.select_related("organization")
            .filter(user=request.user, organization__slug=slug)
            .first()
        )
        if membership is None:
            raise Http404("No such organization")
        if membership.organization.require_mfa_for_admins and membership.is_admin:
            gate = mfa_gate(request)
            if gate is not None:
                return gate
        request.organization = membership.organization  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        if request.session.get("last_organization") != slug:
            request.session["last_organization"] = slug  # only on change: no session write per page
        return None
