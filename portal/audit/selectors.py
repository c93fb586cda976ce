"""Reading the audit trail: filters shared by the organization's page and the backoffice's,
and the CSV export (cells that a spreadsheet would run as a formula are quoted)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.audit.recorder import action_label

CSV_COLUMNS = (
    "time",
    "actor",
    "operator",
    "organization",
    "action",
    "action_label",
    "object_type",
    "object_id",
    "object",
    "operation",
    "network",
    "details",
)


def audit_events(
    *,
    organization_id: int | None = None,
    member_ids: list[int] | None = None,
    action: str = "",
    actor: str = "",
    text: str = "",
    organization: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Newest first. `organization_id` scopes an organization's own page: its events, and the
    sign-ins and MFA changes of its current members (`member_ids`), which belong to no one
    organization. The other filters come from the filter form."""
    events = AuditEvent.objects.all()
    if organization_id is not None:
        personal = Q(organization_id__isnull=True, actor_id__in=member_ids or []) & (
            Q(action__startswith="auth.") | Q(action__startswith="mfa.")
        )
        events = events.filter(Q(organization_id=organization_id) | personal)
    if action:
        # "auth" picks every auth.* action; "auth.login" exactly that one.
        events = events.filter(Q(action=action) | Q(action__startswith=action + "."))
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if organization:
        events = events.filter(organization_label__icontains=organization)
    if text:
        events = events.filter(
            Q(object_repr__icontains=text) | Q(object_id__icontains=text) | Q(object_type=text)
        )
    tz = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        events = events.filter(
            at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
        )
    return events.order_by("-at", "-pk")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula would be run by a spreadsheet (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=1000):
        yield writer.writerow(
            [
                _safe(value)
                for value in (
                    timezone.localtime(event.at).isoformat(timespec="seconds"),
                    event.actor_label,
                    "yes" if event.actor_is_operator else "",
                    event.organization_label,
                    event.action,
                    action_label(event.action),
                    event.object_type,
                    event.object_id,
                    event.object_repr,
                    event.operation_id or "",
                    event.ip_prefix,
                    event.details or "",
                )
            ]
        )
