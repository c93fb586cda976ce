"""Nothing lost, nothing done twice (reliability.md R3, R10, R11), with a real worker,
Redis and PostgreSQL, and the simulator over HTTP. Each test ends by checking the database
and the simulator's request log."""

from __future__ import annotations

import time
from typing import Any

import pytest

from portal.contacts.services import contact_create
from portal.operations import runner
from portal.operations.models import OperationState
from portal.operations.tasks import run_operation
from tests.reliability.checks import contacts_named, finished, lease_over, posts, state
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]


def _contact(name: str) -> dict[str, Any]:
    return {
        "roles": {"customer": {}},
        "company": {"name": name},
        "emailAddresses": {"business": [f"{name.split()[0].lower()}@example.org"]},
    }


# Production runs the worker with the threads pool (docker-compose); the rig's default is prefork.
POOLS = [pytest.param(("prefork", 1), id="prefork"), pytest.param(("threads", 4), id="threads")]


@pytest.mark.parametrize("pool", POOLS)
def test_an_ambiguous_create_is_reconciled_not_resent(
    connected_org, simulator, real_broker, start_worker, pool: tuple[str, int]
) -> None:
    """R11: Lexware creates the contact but answers 504; we adopt it instead of posting again."""
    organization, api_key = connected_org
    simulator.fault(api_key, "504", count=1, method="POST", pathPrefix="/v1/contacts")
    start_worker(broker=real_broker, pool=pool[0], concurrency=pool[1])

    op = contact_create(organization=organization, user=None, data=_contact("Ambig Uous GmbH"))
    op = finished(op)

    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.result.get("adopted") is True
    assert len(contacts_named(simulator, api_key, "Ambig Uous GmbH")) == 1
    assert len(posts(simulator, api_key)) == 1
    assert op.target_id


def test_a_rate_limited_create_is_retried_and_made_once(
    connected_org, simulator, real_broker, start_worker
) -> None:
    """reliability.md RL4: A 429 means Lexware did not execute the call: safe to retry, still exactly one contact."""
    organization, api_key = connected_org
    simulator.fault(api_key, "429", count=2, method="POST", pathPrefix="/v1/contacts")
    start_worker(broker=real_broker)

    op = finished(contact_create(organization=organization, user=None, data=_contact("Drossel KG")))

    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(contacts_named(simulator, api_key, "Drossel KG")) == 1
    statuses = [r["status"] for r in posts(simulator, api_key)]
    assert statuses.count(429) == 2 and statuses.count(200) + statuses.count(201) == 1


def test_a_worker_killed_mid_create_leaves_no_duplicate(
    connected_org, simulator, real_broker, start_worker
) -> None:
    """R3: SIGKILL the pool child while the POST is in flight; the sweeper settles it."""
    organization, api_key = connected_org
    simulator.fault(api_key, "slow", count=1, method="POST", pathPrefix="/v1/contacts", delay=3)
    worker = start_worker(broker=real_broker)

    op = contact_create(organization=organization, user=None, data=_contact("Abbruch AG"))
    wait_until(
        lambda: state(op) == OperationState.RUNNING, timeout=20, what="the operation to start"
    )
    time.sleep(1.0)  # inside the simulator's 3 s delay: the POST is in flight
    worker.kill_child()

    # The redelivered task finds the operation running under its lease and leaves it; once
    # the lease ran out the sweeper (as beat would) turns it into "unknown" and reconciles.
    wait_until(lambda: lease_over(op), timeout=30, what="the lease to expire")
    runner.sweep()
    op = finished(op)

    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(contacts_named(simulator, api_key, "Abbruch AG")) == 1
    assert len(posts(simulator, api_key)) == 1  # the killed attempt's POST, never a second one


@pytest.mark.parametrize("pool", POOLS)
def test_duplicate_deliveries_run_an_operation_once(
    connected_org, simulator, real_broker, start_worker, pool: tuple[str, int]
) -> None:
    """R10: the same task message delivered five times, to two workers (with threads: to several
    threads of each at once): one POST."""
    organization, api_key = connected_org
    start_worker(broker=real_broker, pool=pool[0], concurrency=pool[1])
    start_worker(broker=real_broker, pool=pool[0], concurrency=pool[1])
    from django.db import transaction

    with transaction.atomic():
        op = contact_create(organization=organization, user=None, data=_contact("Doppelt OHG"))
    for _ in range(4):
        run_operation.delay(op.pk)
    op = finished(op)

    assert op.state == OperationState.SUCCEEDED
    time.sleep(2)  # let every duplicate message be consumed
    assert len(posts(simulator, api_key)) == 1
    assert len(contacts_named(simulator, api_key, "Doppelt OHG")) == 1
    assert op.attempts == 1
