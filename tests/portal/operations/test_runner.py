"""The operation runner's rules, one reliability.md item each, with inline tasks and the
in-process simulator (the reliability suite repeats the important ones with real processes)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError, transaction
from django.utils import timezone

from portal.core import crypto
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from portal.operations.registry import KINDS, operation_kind, write_kind
from portal.operations.services import operation_start
from portal.organizations.models import ConnectionStatus, LexwareConnection
from tests.reliability.rig import reset_producers

KEY = "runner-test-key-00000000000000"
calls: list[str] = []


@operation_kind("test.read", label="test read")
def _read(operation: Operation, client: Any) -> dict[str, Any]:
    calls.append("read")
    if operation.input.get("raise") == "soft":
        raise SoftTimeLimitExceeded()
    if operation.input.get("raise") == "db":
        raise OperationalError("server closed the connection unexpectedly")
    return {"company": client.profile.get().company_name}


@write_kind(
    "test.create",
    label="test create",
    read_back=lambda op, client: {},
    reconcile=lambda op, client: None,
)
def _create(operation: Operation, client: Any) -> dict[str, Any]:
    calls.append("create")
    if operation.input.get("raise") == "soft-after-send":
        # The write left (the runner's before_send hook saw it), then the time ran out.
        client.contacts.create(
            {"version": 0, "roles": {"customer": {}}, "company": {"name": "Zeitlimit GmbH"}}
        )
        raise SoftTimeLimitExceeded()
    if operation.input.get("raise") == "soft":
        raise SoftTimeLimitExceeded()
    if operation.input.get("raise") == "db":
        raise OperationalError("server closed the connection unexpectedly")
    return {}


@pytest.fixture(autouse=True)
def _clean_calls() -> Any:
    calls.clear()
    yield
    calls.clear()


@pytest.fixture
def connected(org_a: Any) -> LexwareConnection:
    from portal.operations.clients import in_process_simulator

    in_process_simulator().reset()
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint="1" * 16,
        status=ConnectionStatus.OK,
    )


def test_r1_a_rolled_back_request_enqueues_nothing(
    connected, django_capture_on_commit_callbacks
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        operation_start(organization=connected.organization, kind="test.read")
        raise RuntimeError("the view failed after creating the operation")
    assert callbacks == [] and calls == []
    assert not Operation.objects.exists()


def test_r2_a_broker_outage_at_commit_keeps_the_row_for_the_sweeper(
    connected, django_capture_on_commit_callbacks, caplog
) -> None:
    from portal.celery import app

    previous = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    reset_producers()
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            op = operation_start(organization=connected.organization, kind="test.read")
        assert time.monotonic() - started < 10
    finally:
        app.conf.update(previous)
        reset_producers()
    op.refresh_from_db()
    assert op.state == OperationState.PENDING and calls == []
    assert "stays pending for the sweeper" in caplog.text
    Operation.objects.filter(pk=op.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    runner.sweep()  # broker back (inline here): the sweeper relays it
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED and calls == ["read"]


def test_r6_an_operation_that_keeps_killing_its_worker_is_given_up(connected) -> None:
    op = Operation.objects.create(
        organization=connected.organization,
        kind="test.read",
        state=OperationState.RUNNING,
        attempts=runner.MAX_ATTEMPTS,
        not_before=timezone.now() - timedelta(seconds=1),
    )
    counts = runner.sweep()
    op.refresh_from_db()
    # The worker writes its messages in the default language, German.
    assert (
        op.state == OperationState.FAILED
        and f"Nach {runner.MAX_ATTEMPTS} Versuchen abgebrochen" in op.error_message
    )
    assert counts.get("gave_up") == 1 and calls == []


def test_r12_a_double_submit_makes_one_operation(
    connected, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = operation_start(
            organization=connected.organization, kind="test.read", idempotency_key="form-123"
        )
        second = operation_start(
            organization=connected.organization, kind="test.read", idempotency_key="form-123"
        )
    assert first.pk == second.pk
    assert Operation.objects.count() == 1 and calls == ["read"]


# What a production worker is configured with: portal.settings under the environment that
# docker-compose.yml gives every portal container (REDIS_URL set, no overrides), read through a
# Celery app configured the way portal/celery.py configures it. A child interpreter, because
# settings are module state and this process runs with tests.settings.
_PRODUCTION_CONF = """
import json
from celery import Celery
import portal.settings as settings
app = Celery("probe")
app.config_from_object(settings, namespace="CELERY")
print(json.dumps({
    "broker_url": app.conf.broker_url,
    "broker_transport_options": app.conf.broker_transport_options,
    "task_soft_time_limit": app.conf.task_soft_time_limit,
    "task_time_limit": app.conf.task_time_limit,
    "lease": settings.OPERATION_LEASE_SECONDS,
    "reconcile_delay": settings.OPERATION_RECONCILE_DELAY,
}))
"""


def _production_conf() -> dict[str, Any]:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CELERY_", "OPERATION_", "DJANGO_"))
    }
    env.update(REDIS_URL="redis://redis:6379/0", DEBUG="false")
    child = subprocess.run(
        [sys.executable, "-c", _PRODUCTION_CONF],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def test_r13_no_countdown_or_lease_exceeds_the_visibility_timeout(
    connected, settings, monkeypatch
) -> None:
    """Redis redelivers a message that is not acked within the visibility timeout; with late
    acks a countdown or a running task longer than that runs twice (reliability.md R13, A10)."""
    production = _production_conf()
    assert production["broker_url"].startswith("redis://")
    visibility = production["broker_transport_options"]["visibility_timeout"]
    assert (
        production["task_soft_time_limit"]
        < production["task_time_limit"]
        < production["lease"]
        < visibility
    )

    # Every countdown the runner asks for when it retries, with the largest random jitter.
    countdowns: list[float] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, countdown=None: countdowns.append(countdown)
    )
    monkeypatch.setattr(runner.random, "uniform", lambda low, high: high)
    for attempts in range(runner.MAX_ATTEMPTS):
        op = Operation.objects.create(
            organization=connected.organization,
            kind="test.read",
            input={"raise": "soft"},
            attempts=attempts,
        )
        runner.execute(op.pk)
    assert len(countdowns) == runner.MAX_ATTEMPTS - 1  # the last attempt gives up instead
    assert max(countdowns) < visibility, countdowns

    settings.OPERATION_RECONCILE_DELAY = production["reconcile_delay"]
    assert runner.reconcile_delay() < visibility

    # The tasks' own retry while PostgreSQL is down (R9): its largest countdown, too.
    from portal.operations.tasks import reconcile_operation, run_operation

    for task in (run_operation, reconcile_operation):
        assert task.retry_backoff_max < visibility
        assert task.max_retries is not None  # bounded: no endless loop of redeliveries


@pytest.mark.parametrize(
    ("kind", "how", "state"),
    [
        ("test.read", "soft", OperationState.PENDING),
        # A create stopped before its request left is surely not sent: it runs again.
        ("test.create", "soft", OperationState.PENDING),
        # One stopped after its request left may have reached Lexware: reconciled, not resent.
        ("test.create", "soft-after-send", OperationState.UNKNOWN),
    ],
)
def test_r14_a_soft_time_limit_retries_reads_and_reconciles_creates(
    connected, kind, how, state
) -> None:
    op = Operation.objects.create(
        organization=connected.organization, kind=kind, input={"raise": how}
    )
    from portal.celery import app

    app.conf.task_always_eager = False  # keep the follow-up task from running inline
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("portal.operations.runner.enqueue", lambda *a, **k: True)
            patch.setattr("portal.operations.runner.enqueue_reconcile", lambda *a, **k: None)
            runner.execute(op.pk)
    finally:
        app.conf.task_always_eager = True
    op.refresh_from_db()
    assert op.state == state


@pytest.mark.parametrize(
    ("kind", "state"),
    [("test.read", OperationState.PENDING), ("test.create", OperationState.UNKNOWN)],
)
def test_r9_a_database_outage_in_a_handler_retries_reads_and_reconciles_creates(
    connected, kind, state
) -> None:
    """reliability.md R9 (b): PostgreSQL restarted under a running operation is not an internal
    error of the operation: a read is tried again, a write is reconciled (never re-sent)."""
    op = Operation.objects.create(
        organization=connected.organization, kind=kind, input={"raise": "db"}
    )
    from portal.celery import app

    app.conf.task_always_eager = False  # keep the follow-up task from running inline
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("portal.operations.runner.enqueue", lambda *a, **k: True)
            patch.setattr("portal.operations.runner.enqueue_reconcile", lambda *a, **k: None)
            runner.execute(op.pk)
    finally:
        app.conf.task_always_eager = True
    op.refresh_from_db()
    assert op.state == state, op.error_message
    assert "database" in op.error_message or "Datenbank" in op.error_message


def test_rl5_no_call_goes_out_without_a_permit(connected, settings, monkeypatch) -> None:
    """The limiter's store is down: the operation waits, nothing reaches Lexware."""
    import redis

    from lexware import key_fingerprint
    from lexware.ratelimit import RedisRateLimiter
    from portal.operations.clients import in_process_simulator

    limiter = RedisRateLimiter(
        redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2), rate=1.9, burst=2
    )
    monkeypatch.setattr("portal.operations.clients.rate_limiter", lambda: limiter)
    monkeypatch.setattr("portal.operations.runner.enqueue", lambda *a, **k: True)
    op = Operation.objects.create(organization=connected.organization, kind="test.read")
    since = time.time()
    runner.execute(op.pk)
    op.refresh_from_db()
    assert op.state == OperationState.PENDING and op.not_before is not None
    assert (
        "vorübergehend nicht erreichbar" in op.error_message
    )  # German: the worker's default language
    assert in_process_simulator().requests_since(since, key_fingerprint(KEY)) == []


def test_unknown_kinds_fail_in_the_request_not_in_a_worker(
    connected, django_capture_on_commit_callbacks
) -> None:
    """operation_start refuses a kind nobody registered before it stores or enqueues anything:
    the view gets the error at once, and no row waits for a worker that cannot run it."""
    assert "no.such.kind" not in KINDS
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(LookupError, match=r"no operation kind 'no\.such\.kind' is registered"),
    ):
        operation_start(
            organization=connected.organization, kind="no.such.kind", idempotency_key="form-1"
        )
    assert callbacks == [] and calls == []
    assert not Operation.objects.exists()
