"""A dead worker is noticed and its leased work is picked up (reliability.md R8, as issue 16
item 8 words it; R4 is the same host crash seen from a write).

The whole worker (main process and pool processes) is SIGKILLed while it holds a refresh under
its lease. Nothing tells anyone: no worker-offline event, no requeue. Two things must notice:
the readiness check (`workers_alive()`: the node no longer answers a ping) and the sweeper,
which runs a repeatable operation again once its lease has ended."""

from __future__ import annotations

import time
import uuid

import pytest

from portal.contacts.models import Contact
from portal.operations import runner
from portal.operations.health import workers_alive
from portal.operations.models import OperationState
from portal.sync.services import resource_refresh
from tests.reliability.checks import finished, lease_over, state
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]


def _gets(simulator, api_key: str, contact_id: str) -> list[dict]:
    return [
        r
        for r in simulator.requests(api_key)
        if r["method"] == "GET" and r["path"] == f"/v1/contacts/{contact_id}"
    ]


def test_r8_a_killed_worker_is_noticed_and_its_leased_refresh_runs_again(
    connected_org, simulator, real_broker, start_worker
) -> None:
    """R8: SIGKILL a whole worker mid-refresh; the ping no longer answers from its node, and
    after the lease the sweeper hands the refresh to the worker that is left."""
    organization, api_key = connected_org
    created = simulator.api(
        "POST",
        "contacts",
        api_key,
        json={"version": 0, "roles": {"customer": {}}, "company": {"name": "Totgesagt GmbH"}},
    )
    contact_id = created.json()["id"]
    suffix = uuid.uuid4().hex[:6]
    doomed_name, survivor_name = f"r8-doomed-{suffix}@127.0.0.1", f"r8-survivor-{suffix}@127.0.0.1"

    doomed = start_worker(broker=real_broker, name=doomed_name)
    assert doomed_name in workers_alive(timeout=2)

    simulator.fault(
        api_key, "slow", count=1, method="GET", pathPrefix=f"/v1/contacts/{contact_id}", delay=4
    )
    op = resource_refresh(organization=organization, resource="contacts", lexware_id=contact_id)
    wait_until(lambda: state(op) == OperationState.RUNNING, timeout=20, what="the refresh to start")
    time.sleep(1.0)  # inside the simulator's 4 s delay: the GET is in flight
    doomed.kill_all()

    # Noticed: the dead node is silent at once, long before any lease or visibility timeout.
    began = time.monotonic()
    assert doomed_name not in workers_alive(timeout=1)
    assert time.monotonic() - began < 5
    assert state(op) == OperationState.RUNNING  # nobody else knows yet: the lease still holds it

    start_worker(broker=real_broker, name=survivor_name)
    alive = workers_alive(timeout=2)
    assert survivor_name in alive and doomed_name not in alive

    # Picked up: when the lease is over the sweeper (beat, every 30 s) runs the refresh again.
    wait_until(lambda: lease_over(op), timeout=30, what="the dead worker's lease to end")
    counts = runner.sweep()
    assert counts["rerun"] >= 1
    op = finished(op, timeout=30)

    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.attempts == 2  # the killed attempt and the rerun, nothing more
    assert Contact.objects.filter(organization=organization, lexware_id=contact_id).count() == 1
    assert len(_gets(simulator, api_key, contact_id)) >= 2


def test_r8_workers_alive_is_empty_when_the_broker_is_unreachable(settings) -> None:
    """R8/O4: an unreachable broker means nobody is consuming: no names, no exception."""
    from portal.celery import app
    from tests.reliability.conftest import _use_broker
    from tests.reliability.rig import free_port, reset_producers

    previous = _use_broker(f"redis://127.0.0.1:{free_port()}/0")
    app.conf.broker_connection_timeout = 1
    try:
        began = time.monotonic()
        assert workers_alive(timeout=1) == []
        assert time.monotonic() - began < 15
    finally:
        app.conf.update(previous)
        reset_producers()
