"""Starting the sync's operations: full sync, reconciliation, refreshes, subscriptions.

Services only start operations (DESIGN.md §6); the worker side is in engine.py, refresh.py
and subscriptions.py, registered in handlers.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.operations.models import Lane, Operation, OperationState
from portal.operations.services import ACTIVE, WAITING, operation_start
from portal.organizations.models import Organization
from portal.sync.engine import FULL, RECONCILE, STEP, full_sync_order
from portal.sync.models import SyncPart
from portal.sync.refresh import REFRESH
from portal.sync.subscriptions import DELETE_ALL, ENSURE


def sync_in_progress(*, organization: Organization) -> bool:
    """Asked inside the caller's transaction after `_lock_sync`, so that two beats, two clicks
    or a beat and a click never start two syncs of one organization (reliability.md R15)."""
    return Operation.objects.filter(
        organization=organization,
        kind__in=(FULL, STEP, RECONCILE),
        state__in=(OperationState.PENDING, OperationState.RUNNING),
    ).exists()


def _lock_sync(organization: Organization) -> None:
    """Serialise sync starts per organization: the organization's row is locked until the
    caller's transaction ends (on SQLite, writes are serialised anyway)."""
    Organization.objects.select_for_update().filter(pk=organization.pk).values_list(
        "pk", flat=True
    ).first()


@transaction.atomic
def sync_start(*, organization: Organization, user: Any = None) -> Operation | None:
    """Start a full sync unless one is already running for this organization."""
    _lock_sync(organization)
    if sync_in_progress(organization=organization):
        return None
    now = timezone.now()
    order = full_sync_order()
    for name in order:
        SyncPart.objects.update_or_create(
            organization=organization,
            name=name,
            defaults={
                "status": SyncPart.Status.IDLE,
                "done": 0,
                "total": None,
                "api_calls": 0,
                "write_seconds": 0.0,
                "cursor": {},
                "started_at": None,
                "finished_at": None,
                "last_error": "",
            },
        )
    return operation_start(
        organization=organization,
        kind=STEP,
        user=user,
        lane=Lane.BULK,
        input={"part": order[0], "chain": [str(n) for n in order[1:]], "started": now.isoformat()},
    )


@transaction.atomic
def sync_reconcile(*, organization: Organization) -> Operation | None:
    """Catch what webhooks missed: everything updated since the last known point (a day back)."""
    _lock_sync(organization)
    if sync_in_progress(organization=organization):
        return None
    listed = SyncPart.objects.filter(
        organization=organization, name=SyncPart.Name.VOUCHERLIST
    ).first()
    if listed is None or listed.synced_until is None:
        return sync_start(organization=organization)
    since = timezone.localtime(listed.synced_until - timedelta(days=1)).date().isoformat()
    return operation_start(
        organization=organization, kind=RECONCILE, lane=Lane.BULK, input={"cursor": {"from": since}}
    )


@transaction.atomic
def subscriptions_ensure(*, organization: Organization, user: Any = None) -> Operation:
    """Joins an ensure or delete that is waiting or running: they must not interleave."""
    return operation_start(
        organization=organization,
        kind=ENSURE,
        user=user,
        lane=Lane.BULK,
        coalesce=ACTIVE,
        coalesce_kinds=(DELETE_ALL,),
    )


@transaction.atomic
def subscriptions_delete(*, organization: Organization, user: Any = None) -> Operation:
    return operation_start(
        organization=organization, kind=DELETE_ALL, user=user, lane=Lane.INTERACTIVE
    )


@transaction.atomic
def resource_refresh(
    *,
    organization: Organization,
    resource: str,
    lexware_id: str,
    voucher_type: str | None = None,
    lane: str = Lane.BULK,
) -> Operation:
    """Queue a refresh, coalescing with one already waiting for the same resource (W6). A
    running refresh may have read before this change, so only a waiting one is joined."""
    return operation_start(
        organization=organization,
        kind=REFRESH,
        lane=lane,
        target_type=resource,
        target_id=lexware_id,
        input={"resource": resource, "id": lexware_id, "voucher_type": voucher_type},
        coalesce=WAITING,
    )
