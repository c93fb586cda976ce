"""One budget per Lexware key across processes (reliability.md RL1): two workers with two
pool processes each refresh contacts of one organization as fast as they may; the simulator's
own log never shows more than its 2 requests/second and never a 429."""

from __future__ import annotations

import pytest

from portal.operations.models import Operation, OperationState
from portal.sync.services import resource_refresh
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

JOBS = 40


def test_workers_share_one_budget_per_key(
    connected_org, simulator, real_broker, start_worker, settings
) -> None:
    organization, api_key = connected_org
    contact_ids = []
    simulator.control("POST", "rate-limit", json={"rate": 1000, "burst": 1000})
    for number in range(JOBS):
        response = simulator.api(
            "POST",
            "contacts",
            api_key,
            json={
                "version": 0,
                "roles": {"customer": {}},
                "company": {"name": f"Budget {number:02d} GmbH"},
            },
        )
        contact_ids.append(response.json()["id"])
    simulator.control("POST", "rate-limit", json={"rate": 2, "burst": 2})
    start_index = len(simulator.requests(api_key))

    start_worker(broker=real_broker, concurrency=2)
    start_worker(broker=real_broker, concurrency=2)
    ops = [
        resource_refresh(organization=organization, resource="contacts", lexware_id=cid)
        for cid in contact_ids
    ]
    wait_until(
        lambda: (
            Operation.objects.filter(
                pk__in=[op.pk for op in ops], state=OperationState.SUCCEEDED
            ).count()
            == JOBS
        ),
        timeout=90,
        interval=1,
        what="all refreshes",
    )
    log = simulator.requests(api_key)[start_index:]
    assert len(log) >= JOBS
    assert [entry for entry in log if entry["status"] == 429] == []
    times = sorted(float(entry["timestamp"]) for entry in log)
    worst = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    # Token bucket of 2/s with a burst of 2: at most 2 + 2 = 4 in any one-second window.
    assert worst <= 4, f"{worst} requests in one second"
    span = times[-1] - times[0]
    assert len(times) / max(span, 1e-9) <= 2.2
