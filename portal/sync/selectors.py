"""Reads for the sync pages and the "Stand: …" line of every list page."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Max, Model, QuerySet

from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization
from portal.sync.engine import FULL, RECONCILE, STEP
from portal.sync.models import SyncPart, WebhookEvent

WEBHOOK_EVENTS_SHOWN = 50


def data_as_of(
    *, organization: Organization, part: str, model: type[Model] | None = None
) -> datetime | None:
    """When the mirror last finished syncing this part; before any sync, the newest row.

    The SyncPart row is one indexed lookup; the MAX over the table is only a fallback for
    organizations that never completed a sync (small tables).
    """
    finished = _part_finished_at(organization_id=organization.pk, part=part)
    if finished is not None:
        return finished
    if model is None:
        return None
    rows = model.objects.filter(organization=organization)  # type: ignore[attr-defined]
    newest: datetime | None = rows.aggregate(newest=Max("synced_at"))["newest"]
    return newest


# Every list page asks this. On PostgreSQL, whose driver returns an aware timestamp, the
# statement is written out: building the ORM query cost three times running it (0.8 of 1.06 ms
# CPU on a slow machine). tests/portal/sync/test_data_as_of.py holds both ways equal.
_TABLE = f'"{SyncPart._meta.db_table}"'
_FINISHED_AT_SQL = (  # written as the ORM writes it, so the tenant-scoping test reads it too
    f'SELECT {_TABLE}."finished_at" FROM {_TABLE} WHERE {_TABLE}."organization_id" = %s '
    f'AND {_TABLE}."name" = %s AND {_TABLE}."finished_at" IS NOT NULL ORDER BY {_TABLE}."id" LIMIT 1'
)


def _part_finished_at(*, organization_id: int, part: str) -> datetime | None:
    if connection.vendor != "postgresql":
        return _part_finished_at_orm(organization_id=organization_id, part=part)
    with connection.cursor() as cursor:
        cursor.execute(_FINISHED_AT_SQL, [organization_id, part])
        row = cursor.fetchone()
    return None if row is None else row[0]


def _part_finished_at_orm(*, organization_id: int, part: str) -> datetime | None:
    finished: datetime | None = (
        SyncPart.objects.filter(
            organization_id=organization_id, name=part, finished_at__isnull=False
        )
        .values_list("finished_at", flat=True)
        .first()
    )
    return finished


def sync_parts(*, organization: Organization) -> list[SyncPart]:
    return list(SyncPart.objects.filter(organization=organization).order_by("pk"))


def any_part_running(parts: list[SyncPart]) -> bool:
    return any(part.status == SyncPart.Status.RUNNING for part in parts)


def webhook_events_recent(
    *, organization: Organization, limit: int = WEBHOOK_EVENTS_SHOWN
) -> QuerySet[WebhookEvent]:
    return WebhookEvent.objects.filter(organization=organization).order_by("-received_at")[:limit]


_SYNC_KINDS = (FULL, STEP, RECONCILE)
_ACTIVE = (OperationState.PENDING, OperationState.RUNNING)


def sync_operation_latest(*, organization: Organization) -> Operation | None:
    """The sync operation to show: the newest one still queued or running, else the newest.

    A sync is a chain of operations, and a reconciliation may run beside it; the newest row
    alone can be a finished step while another still waits.
    """
    sync_operations = Operation.objects.filter(organization=organization, kind__in=_SYNC_KINDS)
    newest_first = ("-created_at", "-pk")  # pk breaks ties between steps created in one instant
    return (
        sync_operations.filter(state__in=_ACTIVE).order_by(*newest_first).first()
        or sync_operations.order_by(*newest_first).first()
    )


def sync_page_polls(*, parts: list[SyncPart], operation: Operation | None) -> bool:
    """Whether the sync page should keep polling.

    A part is `running` only while a worker carries out one of its steps. Right after "Sync
    now", and between two steps, every part is idle or done while the next step waits in
    the queue: the queued operation says the sync is not over.
    """
    if any_part_running(parts):
        return True
    return operation is not None and operation.state in _ACTIVE


def operation_latest(*, organization: Organization, kinds: tuple[str, ...]) -> Operation | None:
    return (
        Operation.objects.filter(organization=organization, kind__in=kinds)
        .order_by("-created_at")
        .first()
    )
