"""Redis restarts with queued work (reliability.md R7): nothing is lost.

After a clean restart the append-only file brings the queue back. After a SIGKILL of Redis
messages may be lost; the operations table is the safety net and the sweeper re-enqueues
whatever is still pending."""

from __future__ import annotations

import signal

import pytest

from portal.operations import runner
from portal.operations.models import Operation, OperationState
from portal.sync.services import resource_refresh
from tests.reliability.conftest import _use_broker
from tests.reliability.rig import reset_producers, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

JOBS = 20


@pytest.mark.parametrize(
    "stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"]
)
def test_queued_operations_survive_a_redis_restart(
    connected_org, simulator, own_redis, start_worker, settings, stop_signal
) -> None:
    from portal.celery import app

    organization, api_key = connected_org
    previous = _use_broker(own_redis.url)
    try:
        contact_ids = []
        for number in range(JOBS):
            response = simulator.api(
                "POST",
                "contacts",
                api_key,
                json={
                    "version": 0,
                    "roles": {"customer": {}},
                    "company": {"name": f"Warteschlange {number:02d} GmbH"},
                },
            )
            assert response.status_code in (200, 201)
            contact_ids.append(response.json()["id"])
        ops = [
            resource_refresh(organization=organization, resource="contacts", lexware_id=cid)
            for cid in contact_ids
        ]
        own_redis.stop(stop_signal)
        own_redis.start()  # same port, same directory: the append-only file is replayed
        reset_producers()

        start_worker(broker=own_redis.url, OPERATION_PENDING_GRACE_SECONDS="2")

        def all_done() -> bool:
            runner.sweep()  # what beat does every 30 s
            return (
                Operation.objects.filter(
                    pk__in=[op.pk for op in ops], state=OperationState.SUCCEEDED
                ).count()
                == JOBS
            )

        wait_until(all_done, timeout=90, interval=2, what="every queued operation to finish")
        from portal.contacts.models import Contact

        assert (
            Contact.objects.filter(organization=organization, lexware_id__in=contact_ids).count()
            == JOBS
        )
        gets = [
            r
            for r in simulator.requests(api_key)
            if r["method"] == "GET" and r["path"].startswith("/v1/contacts/")
        ]
        assert len(gets) >= JOBS
    finally:
        app.conf.update(previous)
        reset_producers()
