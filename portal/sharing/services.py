"""Making, revoking and reissuing customer links, and logging their use."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.core.client_ip import client_ip
from portal.documents.models import Document
from portal.files.selectors import has_file
from portal.organizations.models import Organization
from portal.sharing.models import ShareAccess, ShareLink
from portal.sharing.tokens import ip_prefix, new_token, token_hash

DEFAULT_DAYS_AFTER_DUE = 30
MAX_DAYS = 120


def latest_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=MAX_DAYS)


def default_expiry(document: Document, now: datetime | None = None) -> datetime:
    """30 days after the due date (or after today without one), never beyond 120 days."""
    now = now or timezone.now()
    base = document.due_date if document.due_date and document.due_date > now else now
    return min(base + timedelta(days=DEFAULT_DAYS_AFTER_DUE), latest_expiry(now))


@transaction.atomic
def share_link_create(
    *,
    organization: Organization,
    document: Document,
    user: User | None,
    expires_at: datetime,
) -> tuple[ShareLink, str]:
    """A new link; the token is returned once and only its hash is kept."""
    if document.organization_id != organization.pk:
        raise ValidationError(_("This document belongs to another organization."))
    if not has_file(document):
        raise ValidationError(_("Only finalized documents can be shared: drafts have no PDF."))
    now = timezone.now()
    if expires_at <= now or expires_at > latest_expiry(now) + timedelta(days=1):
        raise ValidationError(_("A link expires within 120 days."))
    token = new_token()
    link = ShareLink.objects.create(
        organization=organization,
        document=document,
        token_hash=token_hash(token),
        created_by=user,
        expires_at=expires_at,
    )
    record(
        Action.SHARE_LINK_CREATED,
        actor=user,
        organization=organization,
        object_type="share_link",
        object_id=link.pk,
        object_repr=str(document)[:200],
        details={"expires_at": expires_at.isoformat()},
    )
    return link, token


@transaction.atomic
def share_link_revoke(*, organization: Organization, link: ShareLink, user: User) -> None:
    revoked = ShareLink.objects.filter(
        pk=link.pk, organization=organization, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=user)
    if revoked:
        record(
            Action.SHARE_LINK_REVOKED,
            actor=user,
            organization=organization,
            object_type="share_link",
            object_id=link.pk,
        )


@transaction.atomic
def share_link_regenerate(*, organization: Organization, link: ShareLink, user: User) -> str:
    """A new token for the same link (its log and expiry stay); the old token fails at once (L8)."""
    if link.organization_id != organization.pk or link.state != "active":
        raise ValidationError(_("Only an active link can get a new address."))
    token = new_token()
    ShareLink.objects.filter(pk=link.pk).update(
        token_hash=token_hash(token), regenerated_at=timezone.now()
    )
    record(
        Action.SHARE_LINK_REGENERATED,
        actor=user,
        organization=organization,
        object_type="share_link",
        object_id=link.pk,
    )
    return token


def share_access_record(*, link: ShareLink, request: HttpRequest, what: str) -> None:
    ShareAccess.objects.create(
        link=link,
        ip_prefix=ip_prefix(client_ip(request)),
        user_agent=str(request.headers.get("User-Agent", ""))[:300],
        what=what,
    )
    # Opened by a customer without an account: the system is the actor, the network is kept.
    record(
        Action.SHARE_LINK_OPENED,
        system=True,
        organization=link.organization,
        object_type="share_link",
        object_id=link.pk,
        ip_prefix=ip_prefix(client_ip(request)),
        details={"what": what},
    )
