"""What the health page warns about besides the services: API keys near or past the end date
their admins entered (issue 15 item 6) and unhandled errors of web and worker (item 7)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from portal.audit.models import ErrorEvent
from portal.organizations.models import KEY_EXPIRY_WARNING_DAYS, LexwareConnection

RECENT_ERRORS = 5


def key_expiries() -> list[LexwareConnection]:
    """Connections whose key has expired or expires within the warning window, soonest first."""
    until = timezone.localdate() + timedelta(days=KEY_EXPIRY_WARNING_DAYS)
    return list(
        LexwareConnection.objects.filter(key_expires_on__lte=until)
        .select_related("organization")
        .order_by("key_expires_on")
    )


def errors_summary(now: datetime) -> dict[str, Any]:
    day = now - timedelta(days=1)
    figures = ErrorEvent.objects.aggregate(
        kinds_day=Count("pk", filter=Q(last_seen__gte=day)),
        hour=Count("pk", filter=Q(last_seen__gte=now - timedelta(hours=1))),
        total=Sum("count"),
    )
    return {
        **figures,
        "recent": list(ErrorEvent.objects.filter(last_seen__gte=day)[:RECENT_ERRORS]),
    }
