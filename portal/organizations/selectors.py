"""Reads for organizations, members and invitations (HackSoft selectors, keyword-only)."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from portal.accounts.models import User
from portal.organizations.models import Invitation, LexwareConnection, Membership, Organization


def token_hash(token: str) -> str:
    """The SHA-256 we store instead of an invitation token."""
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()


def user_organizations(*, user: User) -> QuerySet[Membership]:
    """The user's memberships with their organizations and Lexware connections (without the
    encrypted key), by organization name. OrganizationMiddleware reads these once a request:
    the connection banner and the dashboard take the connection from here (no query)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__lexware_connection")
        .defer("organization__lexware_connection__encrypted_api_key")
        .order_by("organization__name")
    )


def organization_connection(*, organization: Organization) -> LexwareConnection | None:
    """The organization's Lexware connection; read with the membership (user_organizations),
    otherwise one query."""
    try:
        return organization.lexware_connection
    except LexwareConnection.DoesNotExist:
        return None


def organization_members(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def pending_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def invitation_for_token(*, token: str) -> Invitation | None:
    """The usable invitation a token belongs to, or None for unknown, used, revoked or expired.

    All invalid cases look the same to the caller, so the accept page cannot be used as an
    oracle for which invitations exist.
    """
    if not token or len(token) > 200:
        return None
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def owner_count(*, organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role="owner").count()
