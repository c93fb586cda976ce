"""A whole worker lost or stopped mid-operation (reliability.md R4, R5), and one busy
organization not holding up another (RL2)."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from portal.contacts.services import contact_create
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from portal.sync.services import sync_start
from tests.reliability.checks import contacts_named, lease_over, posts, state
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]


def _contact(name: str) -> dict[str, Any]:
    return {"roles": {"customer": {}}, "company": {"name": name}}


def test_r4_a_host_crash_mid_create_loses_nothing_and_duplicates_nothing(
    connected_org, simulator, real_broker, start_worker
) -> None:
    """reliability.md R4, R8: SIGKILL the worker's main process (the host dies); a new worker and the sweeper
    finish: the write is settled as unknown, reconciled and adopted, never sent twice."""
    organization, api_key = connected_org
    simulator.fault(api_key, "slow", count=1, method="POST", pathPrefix="/v1/contacts", delay=3)
    first = start_worker(broker=real_broker)
    op = contact_create(organization=organization, user=None, data=_contact("Hostabsturz GmbH"))
    wait_until(lambda: state(op) == OperationState.RUNNING, timeout=20, what="the create to start")
    time.sleep(1.0)
    first.kill_child()
    first.stop(signal.SIGKILL)

    start_worker(broker=real_broker)  # the replacement host
    # After the visibility timeout the unacknowledged message comes back; the lease keeps it
    # from running twice; when the lease is over, the sweeper (beat) settles the operation.
    wait_until(lambda: lease_over(op), timeout=40, what="the lease to expire")
    runner.sweep()
    wait_until(
        lambda: state(op) in (OperationState.SUCCEEDED, OperationState.FAILED),
        timeout=45,
        what="the operation to finish",
    )

    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(contacts_named(simulator, api_key, "Hostabsturz GmbH")) == 1
    assert len(posts(simulator, api_key)) == 1


def test_r5_a_graceful_stop_lets_the_running_create_finish(
    connected_org, simulator, real_broker, start_worker
) -> None:
    """SIGTERM (a deploy): the worker finishes the call in hand before it exits."""
    organization, api_key = connected_org
    simulator.fault(api_key, "slow", count=1, method="POST", pathPrefix="/v1/contacts", delay=2)
    worker = start_worker(broker=real_broker)
    op = contact_create(organization=organization, user=None, data=_contact("Sanft Beendet KG"))
    wait_until(lambda: state(op) == OperationState.RUNNING, timeout=20, what="the create to start")
    worker.stop(signal.SIGTERM)

    assert state(op) == OperationState.SUCCEEDED, op.error_message
    assert len(contacts_named(simulator, api_key, "Sanft Beendet KG")) == 1
    assert len(posts(simulator, api_key)) == 1


def test_rl2_a_busy_organization_does_not_hold_up_another(
    connected_org, simulator, real_broker, start_worker, transactional_db
) -> None:
    """Organization A runs a full sync of thousands of documents; B's create starts at once."""
    import uuid

    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

    busy, busy_key = connected_org
    simulator.control(
        "POST", "seed", json={"apiKey": busy_key, "mode": "scale", "size": 5000, "contacts": 500}
    )
    other_key = f"rl2-{uuid.uuid4().hex}"
    other = Organization.objects.create(name="Ruhig GmbH", slug=f"ruhig-{uuid.uuid4().hex[:6]}")
    LexwareConnection.objects.create(
        organization=other,
        encrypted_api_key=crypto.encrypt(other_key),
        key_last_four=other_key[-4:],
        key_fingerprint=key_fingerprint(other_key),
        status=ConnectionStatus.OK,
    )
    start_worker(broker=real_broker, concurrency=2)
    sync_start(organization=busy)
    wait_until(
        lambda: Operation.objects.filter(organization=busy, state=OperationState.RUNNING).exists(),
        timeout=20,
        what="the busy organization's sync to run",
    )

    began = time.monotonic()
    op = contact_create(organization=other, user=None, data=_contact("Nicht Warten AG"))
    wait_until(
        lambda: state(op) == OperationState.SUCCEEDED,
        timeout=30,
        what="the other organization's create",
    )
    waited = time.monotonic() - began

    assert waited < 10, f"the create waited {waited:.1f} s behind another organization's sync"
    assert (
        Operation.objects.filter(organization=busy, kind="sync.step")
        .exclude(state=OperationState.FAILED)
        .exists()
    )
