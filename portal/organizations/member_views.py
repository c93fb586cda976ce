"""The members page: list, role changes, removal, leaving, invitations (issue 2 item 5).

Every action answers htmx with a partial of `organizations/members.html` and everything else
with a redirect back to the page; rule violations become messages, never errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from portal.accounts.mfa import is_verified
from portal.core.errors import ApplicationError
from portal.core.htmx import render_page
from portal.organizations import services
from portal.organizations.forms import (
    InvitationForm,
    MfaRequirementForm,
    RoleForm,
    role_choices_for,
)
from portal.organizations.http import OrgRequest
from portal.organizations.models import Invitation, Membership, Role
from portal.organizations.permissions import require_admin, require_owner, require_viewer
from portal.organizations.selectors import organization_members, pending_invitations

TEMPLATE = "organizations/members.html"


def _can_manage(actor: Membership, member: Membership) -> bool:
    """Whether the actor may change this member's role or remove them (the UI mirror of services)."""
    if not actor.has_role(Role.ADMIN) or actor.pk == member.pk:
        return False
    return member.role != Role.OWNER or actor.role == Role.OWNER


def _row_context(request: OrgRequest, member: Membership, error: str = "") -> dict[str, Any]:
    member.can_manage = _can_manage(request.membership, member)  # type: ignore[attr-defined]
    return {
        "m": member,
        "row_error": error,
        "role_choices": role_choices_for(request.membership.role),
    }


def _page_context(request: OrgRequest, invite_form: InvitationForm | None = None) -> dict[str, Any]:
    actor = request.membership
    members = list(organization_members(organization=request.organization))
    for member in members:
        member.can_manage = _can_manage(actor, member)  # type: ignore[attr-defined]
    return {
        "members": members,
        "invitations": pending_invitations(organization=request.organization)
        if actor.is_admin
        else [],
        "invite_form": invite_form or InvitationForm(actor_role=actor.role),
        "role_choices": role_choices_for(actor.role),
    }


def _get_member(request: OrgRequest, code: str) -> Membership:
    # Scoped to the organization from the URL: another tenant's membership is a 404.
    return get_object_or_404(
        Membership.objects.select_related("user", "organization"),
        organization=request.organization,
        code=code,
    )


@require_GET
@require_viewer
def members(request: OrgRequest, org_slug: str) -> HttpResponse:
    return render(request, TEMPLATE, _page_context(request))


@require_POST
@require_admin
def member_role(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    member = _get_member(request, code)
    form = RoleForm(request.POST, actor_role=request.membership.role)
    error = ""
    if not form.is_valid():
        error = "; ".join(
            str(message) for message in form.errors.get("role") or [_("Please choose a role.")]
        )
    else:
        try:
            member = services.membership_role_change(
                actor=request.membership, membership=member, role=form.cleaned_data["role"]
            )
        except ApplicationError as exc:
            error = exc.message
    if request.htmx:
        member.refresh_from_db()
        return render(request, TEMPLATE + "#member-row", _row_context(request, member, error))
    if error:
        # Without htmx the whole page answers, with the reason on top (never a silent redirect).
        messages.error(request, error)
        return render(request, TEMPLATE, _page_context(request))
    messages.success(request, _("Role changed."))
    return redirect("org:members", org_slug=org_slug)


@require_POST
@require_admin
def member_remove(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    member = _get_member(request, code)
    try:
        services.membership_remove(actor=request.membership, membership=member)
    except ApplicationError as exc:
        if request.htmx:
            return render(
                request, TEMPLATE + "#member-row", _row_context(request, member, exc.message)
            )
        messages.error(request, exc.message)
        return redirect("org:members", org_slug=org_slug)
    if request.htmx:
        # An empty 200 answer replaces the row with nothing.
        return HttpResponse("")
    messages.success(request, _("%(name)s was removed.") % {"name": member.user.get_full_name()})
    return redirect("org:members", org_slug=org_slug)


@require_POST
@require_viewer
def leave(request: OrgRequest, org_slug: str) -> HttpResponse:
    try:
        services.membership_remove(actor=request.membership, membership=request.membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("org:members", org_slug=org_slug)
    request.session.pop("last_organization", None)
    messages.success(request, _("You left %(org)s.") % {"org": request.organization.name})
    if request.htmx:
        return HttpResponseClientRedirect(reverse("organizations:home"))
    return redirect("organizations:home")


@require_POST
@require_admin
def invitation_create(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = InvitationForm(request.POST, actor_role=request.membership.role)
    if form.is_valid():
        try:
            invitation, _token = services.invitation_create(
                actor=request.membership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            if not request.htmx:
                return redirect("org:members", org_slug=org_slug)
            form = InvitationForm(actor_role=request.membership.role)
    return render_page(
        request, TEMPLATE, _page_context(request, invite_form=form), partial="invitations"
    )


@require_POST
@require_admin
def invitation_revoke(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation, organization=request.organization, code=code)
    try:
        services.invitation_revoke(actor=request.membership, invitation=invitation)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Invitation for %(email)s revoked.") % {"email": invitation.email}
        )
    if request.htmx:
        return render(request, TEMPLATE + "#invitations", _page_context(request))
    return redirect("org:members", org_slug=org_slug)


@require_POST
@require_owner
def mfa_requirement(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = MfaRequirementForm(request.POST)
    if not form.is_valid():
        error = _("Please choose whether two-factor authentication is required.")
        return render(request, TEMPLATE, {**_page_context(request), "mfa_error": error})
    required = form.cleaned_data["required"] == "on"
    if required and not is_verified(request):
        # Otherwise the owner would lock themselves out of the page they are on.
        messages.error(
            request, _("Turn on two-factor authentication for yourself first (in your profile).")
        )
    else:
        services.organization_mfa_requirement_set(actor=request.membership, required=required)
        messages.success(
            request,
            _("Two-factor authentication is now required for admins and owners.")
            if required
            else _("Two-factor authentication is no longer required for admins and owners."),
        )
    if request.htmx:
        return HttpResponseClientRedirect(reverse("org:members", kwargs={"org_slug": org_slug}))
    return redirect("org:members", org_slug=org_slug)
