"""Resolves `/o/<slug>/…` into request.organization and request.membership (like pretix).

Outsiders get a 404 for every URL under an organization, whether it exists or not, so that
the response is no oracle for which organizations exist. When the organization requires MFA,
its owners and admins without a verified session go to enrolment or the code page first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from portal.accounts.mfa import mfa_gate
from portal.audit.support import SAFE_METHODS, active_support_session, support_page_seen
from portal.organizations.models import Membership, Role
from portal.organizations.request_memberships import user_memberships


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
        # All the user's memberships in one query: the page's organization switcher lists them
        # (portal_org.my_organizations), so the layout needs no second query.
        memberships = user_memberships(user=request.user)
        membership = next((m for m in memberships if m.organization.slug == slug), None)
        if membership is None:
            return self._support(request, slug)
        if membership.organization.require_mfa_for_admins and membership.is_admin:
            gate = mfa_gate(request)
            if gate is not None:
                return gate
        request.organization = membership.organization  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.user_memberships = memberships  # type: ignore[attr-defined]
        if request.session.get("last_organization") != slug:
            request.session["last_organization"] = slug  # only on change: no session write per page
        return None

    @staticmethod
    def _support(request: HttpRequest, slug: str) -> HttpResponse | None:
        """An operator with a running support session sees the organization as a viewer:
        read-only (403 for any write), behind MFA, every page in the audit trail. Anyone else
        who is no member gets the 404."""
        session = active_support_session(user=request.user, slug=slug)
        if session is None:
            raise Http404("No such organization")
        gate = mfa_gate(request)
        if gate is not None:
            return gate
        if request.method not in SAFE_METHODS:
            raise PermissionDenied("Support access is read-only.")
        if not request.headers.get("HX-Request"):
            support_page_seen(session=session, path=request.get_full_path())
        request.organization = session.organization  # type: ignore[attr-defined]
        # Not saved: the operator is no member; the role only decides what pages show.
        request.membership = Membership(  # type: ignore[attr-defined]
            user=session.operator, organization=session.organization, role=Role.VIEWER
        )
        request.support_session = session  # type: ignore[attr-defined]
        return None
