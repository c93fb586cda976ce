"""Operators' support access to an organization ("view as", issue 15 item 4), modelled on
pretix's staff sessions: started from the backoffice with a reason, read-only, time-limited,
and in the organization's audit trail with every page visited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from portal.audit.models import SupportSession
from portal.audit.recorder import Action, record

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def support_minutes() -> int:
    return int(getattr(settings, "SUPPORT_SESSION_MINUTES", 30))


def support_start(*, operator: Any, organization: Any, reason: str) -> SupportSession:
    session = SupportSession.objects.create(
        operator=operator,
        organization=organization,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=support_minutes()),
    )
    record(
        Action.SUPPORT_STARTED,
        actor=operator,
        organization=organization,
        object_type="support_session",
        object_id=session.pk,
        details={"reason": reason, "until": session.expires_at.isoformat(timespec="minutes")},
    )
    return session


def support_end(*, operator: Any, session: SupportSession) -> None:
    if session.ended_at is None:
        SupportSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
        record(
            Action.SUPPORT_ENDED,
            actor=operator,
            organization=session.organization,
            object_type="support_session",
            object_id=session.pk,
        )


def active_support_session(*, user: Any, slug: str) -> SupportSession | None:
    """The operator's running session for this organization, if any (operators only)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    return (
        SupportSession.objects.select_related("organization", "operator")
        .filter(
            operator=user,
            organization__slug=slug,
            ended_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-started_at")
        .first()
    )


def support_page_seen(*, session: SupportSession, path: str) -> None:
    record(
        Action.SUPPORT_PAGE_VIEWED,
        actor=session.operator,
        organization=session.organization,
        object_type="support_session",
        object_id=session.pk,
        details={"path": path[:200]},
    )
