"""Scheduled work delivered twice (reliability.md R15: two beats, or one beat and a click at
the same moment) never doubles a sync or a subscription check."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import close_old_connections

from portal.operations.models import Operation, OperationState
from portal.sync.models import SyncPart
from portal.sync.services import sync_reconcile, sync_start
from portal.sync.tasks import check_subscriptions_all, reconcile_all


def _active(organization: Any, *kinds: str) -> int:
    return Operation.objects.filter(
        organization=organization,
        kind__in=kinds,
        state__in=(OperationState.PENDING, OperationState.RUNNING),
    ).count()


def test_each_scheduled_task_twice_starts_its_work_once(connected: Any) -> None:
    organization = connected.organization
    SyncPart.objects.create(
        organization=organization,
        name=SyncPart.Name.VOUCHERLIST,
        synced_until="2026-11-01T00:00:00+00:00",
    )
    assert reconcile_all() == 1
    assert reconcile_all() == 0
    assert _active(organization, "sync.reconcile", "sync.step") == 1
    check_subscriptions_all()
    check_subscriptions_all()
    assert _active(organization, "subscriptions.ensure") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_starts_make_one_sync(
    connected: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two threads (two beats, or a beat and a user) start at the same moment on PostgreSQL."""
    monkeypatch.setattr(
        "portal.operations.services.enqueue_on_commit", lambda pk, **kw: None
    )  # no inline run
    organization = connected.organization
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def start(starter: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(starter(organization=organization))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=start, args=(f,)) for f in (sync_start, sync_reconcile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2 and sum(1 for r in results if r is not None) == 1
    assert _active(organization, "sync.reconcile", "sync.step") == 1
