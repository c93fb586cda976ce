"""Outbound HTTP faults over a real socket against the simulator server (reliability.md H2,
RL4); the rules themselves are unit-tested with a mock transport in tests/lexware/test_retries.py."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from lexware import LexwareClient, RetryPolicy, errors
from lexware.ratelimit import InMemoryRateLimiter
from portal.operations.models import OperationState
from portal.sync.services import resource_refresh
from tests.reliability.checks import contacts_named, finished, posts

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

SHORT = httpx.Timeout(connect=2.0, read=0.5, write=2.0, pool=2.0)


def test_h2_a_read_timeout_retries_a_get_and_makes_a_post_ambiguous(simulator) -> None:
    """H2: Lexware answers too slowly. The GET is retried and succeeds; the POST is not sent
    again but raised as ambiguous (R11 reconciles it), and Lexware holds the contact once."""
    api_key = f"h2-{uuid.uuid4().hex}"
    client = LexwareClient(
        api_key,
        base_url=f"{simulator.url}/",
        timeout=SHORT,
        write_timeout=SHORT,
        limiter=InMemoryRateLimiter(),
        retry=RetryPolicy(initial_backoff=0.1, max_backoff=0.5),
    )
    with client:
        simulator.fault(api_key, "slow", count=1, method="GET", pathPrefix="/v1/profile", delay=1.5)
        assert client.profile.get().company_name
        time.sleep(1.2)  # the first, slow GET is logged when it completes
        profile_gets = [
            r for r in simulator.requests(api_key) if r["path"].startswith("/v1/profile")
        ]
        assert len(profile_gets) == 2

        simulator.fault(
            api_key, "slow", count=1, method="POST", pathPrefix="/v1/contacts", delay=1.5
        )
        with pytest.raises(errors.AmbiguousWriteError) as caught:
            client.contacts.create(
                {"version": 0, "roles": {"customer": {}}, "company": {"name": "Langsam GmbH"}}
            )
        assert caught.value.resource == "contacts"
    time.sleep(1.5)
    assert len(posts(simulator, api_key)) == 1
    assert len(contacts_named(simulator, api_key, "Langsam GmbH")) == 1


def test_rl4_a_429_spell_is_waited_out_without_a_tight_loop(
    connected_org, simulator, real_broker, start_worker
) -> None:
    """RL4: another client drains the key and Lexware answers 429 to everything for 3 s. The
    worker backs off (exponential with jitter, then the circuit breaker and the runner's own
    delay), sends only a few calls in that window, and the refresh ends done, not failed."""
    organization, api_key = connected_org
    created = simulator.api(
        "POST",
        "contacts",
        api_key,
        json={"version": 0, "roles": {"customer": {}}, "company": {"name": "Gedrosselt KG"}},
    )
    contact_id = created.json()["id"]
    start_worker(broker=real_broker)

    simulator.fault(api_key, "429", ratio=1.0, method="GET", pathPrefix="/v1/contacts/")
    op = resource_refresh(organization=organization, resource="contacts", lexware_id=contact_id)
    time.sleep(3.0)
    simulator.control("DELETE", "faults", params={"apiKey": api_key})
    op = finished(op, timeout=40)

    assert op.state == OperationState.SUCCEEDED, op.error_message
    refused = sorted(
        float(r["timestamp"]) for r in simulator.requests(api_key) if r["status"] == 429
    )
    # The limiter alone would let about 7 calls through in 3 s, and the breaker stops a tight
    # loop only after 5; a backoff of 0.5, 1, 2 s (each up to a quarter shorter) sends 3 or 4,
    # the second one at least 0.375 s after the first.
    assert 2 <= len(refused) <= 4, refused
    assert refused[1] - refused[0] >= 0.3, refused
