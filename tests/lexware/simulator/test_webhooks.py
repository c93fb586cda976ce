"""Signed webhook deliveries, retries and removal rules (lexware-api.md §7.2-§7.4)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from lexware.simulator import Simulator
from lexware.simulator.webhooks import RETRY_DELAYS
from tests.lexware.simulator.core_helpers import (
    KEY,
    article_body,
    client_for,
    company_contact,
    new_sim,
)

URL = "https://portal.example.org/hooks/lexware/"


class Receiver:
    """An in-process callback endpoint answering scripted statuses (then 200)."""

    def __init__(
        self, statuses: list[int] | None = None, fail: Callable[[httpx.Request], None] | None = None
    ) -> None:
        self.statuses = list(statuses or [])
        self.fail = fail
        self.calls: list[httpx.Request] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.calls.append(request)
            if self.fail:
                self.fail(request)
            status = self.statuses.pop(0) if self.statuses else 200
        return httpx.Response(status)


def _setup(
    receiver: Receiver, event: str = "contact.created", scale: float = 1e-5
) -> tuple[Simulator, httpx.Client]:
    sim = new_sim(webhook_transport=httpx.MockTransport(receiver), webhook_time_scale=scale)
    client = client_for(sim)
    assert (
        client.post(
            "/v1/event-subscriptions", json={"eventType": event, "callbackUrl": URL}
        ).status_code
        == 201
    )
    return sim, client


def test_body_is_compact_json_and_signature_verifies() -> None:
    """§7.2 / §7.3: compact JSON body; X-Lxo-Signature = base64 RSA PKCS#1 v1.5 SHA-512 over the raw bytes."""
    receiver = Receiver()
    sim, client = _setup(receiver)
    contact_id = client.post("/v1/contacts", json=company_contact()).json()["id"]
    assert sim.flush_webhooks(5)
    assert len(receiver.calls) == 1
    request = receiver.calls[0]
    raw = request.content
    payload = json.loads(raw)
    assert raw == json.dumps(payload, separators=(",", ":")).encode()
    assert set(payload) == {"organizationId", "eventType", "resourceId", "eventDate"}
    assert payload["eventType"] == "contact.created" and payload["resourceId"] == contact_id
    assert payload["organizationId"] == sim.tenant_for_key(KEY).organization_id
    public_key: Any = serialization.load_pem_public_key(sim.public_key_pem())
    signature = base64.b64decode(request.headers["X-Lxo-Signature"])
    public_key.verify(signature, raw, padding.PKCS1v15(), hashes.SHA512())
    with pytest.raises(Exception):  # noqa: B017 - any InvalidSignature
        public_key.verify(signature, raw + b" ", padding.PKCS1v15(), hashes.SHA512())


def test_only_matching_subscriptions_receive() -> None:
    """§7.1: one subscription per event type; other events are not delivered."""
    receiver = Receiver()
    sim, client = _setup(receiver, event="article.deleted")
    article_id = client.post("/v1/articles", json=article_body()).json()["id"]
    client.delete(f"/v1/articles/{article_id}")
    assert sim.flush_webhooks(5)
    assert [json.loads(c.content)["eventType"] for c in receiver.calls] == ["article.deleted"]


@pytest.mark.parametrize("status", [401, 403, 429, 500, 503])
def test_retryable_statuses_are_retried(status: int) -> None:
    """§7.4: 401, 403, 429, 5xx → retried (10, 20, … s, scaled)."""
    receiver = Receiver([status, status])
    sim, client = _setup(receiver)
    client.post("/v1/contacts", json=company_contact())
    assert sim.flush_webhooks(5)
    assert len(receiver.calls) == 3
    assert len(sim.tenant_for_key(KEY).subscriptions) == 1


def test_retry_schedule_matches_documentation() -> None:
    """§7.4: 10, 20, 40, 80, 160 s, then a 30 min pause and 20 retries every 2 h."""
    assert RETRY_DELAYS[:5] == (10, 20, 40, 80, 160)
    assert RETRY_DELAYS[5] == 1800
    assert len(RETRY_DELAYS) == 25 and set(RETRY_DELAYS[6:]) == {7200}


def test_410_removes_subscription_immediately() -> None:
    """§7.4: 410 → subscription removed, no retry."""
    receiver = Receiver([410])
    sim, client = _setup(receiver)
    client.post("/v1/contacts", json=company_contact())
    assert sim.flush_webhooks(5)
    assert len(receiver.calls) == 1
    assert sim.tenant_for_key(KEY).subscriptions == {}


def test_other_4xx_and_3xx_not_retried() -> None:
    """§7.4: other 4xx not retried; 3xx never retried (and not followed)."""
    for status in (400, 302):
        receiver = Receiver([status])
        sim, client = _setup(receiver)
        client.post("/v1/contacts", json=company_contact())
        assert sim.flush_webhooks(5)
        assert len(receiver.calls) == 1
        assert len(sim.tenant_for_key(KEY).subscriptions) == 1


def test_404_deletes_subscription_after_schedule() -> None:
    """§7.4: persistent 404 → deleted after the whole retry schedule (1 + 25 attempts)."""
    receiver = Receiver([404] * 100)
    sim, client = _setup(receiver, scale=1e-6)
    client.post("/v1/contacts", json=company_contact())
    assert sim.flush_webhooks(10)
    assert len(receiver.calls) == 1 + len(RETRY_DELAYS)
    assert sim.tenant_for_key(KEY).subscriptions == {}


def test_dns_failure_deletes_subscription_after_schedule() -> None:
    """§7.4: DNS failure counts like 404."""

    def no_dns(request: httpx.Request) -> None:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    receiver = Receiver(fail=no_dns)
    sim, client = _setup(receiver, scale=1e-6)
    client.post("/v1/contacts", json=company_contact())
    assert sim.flush_webhooks(10)
    assert len(receiver.calls) == 1 + len(RETRY_DELAYS)
    assert sim.tenant_for_key(KEY).subscriptions == {}


def test_timeout_is_retried_but_keeps_subscription() -> None:
    """§7.4: timeouts are retried; the subscription is not removed for them."""

    def slow(request: httpx.Request) -> None:
        raise httpx.ReadTimeout("timed out", request=request)

    receiver = Receiver(fail=slow)
    sim, client = _setup(receiver, scale=1e-6)
    client.post("/v1/contacts", json=company_contact())
    assert sim.flush_webhooks(10)
    assert len(receiver.calls) == 1 + len(RETRY_DELAYS)
    assert len(sim.tenant_for_key(KEY).subscriptions) == 1


def test_delivery_is_off_the_request_path() -> None:
    """Delivery runs on background threads: a slow receiver does not slow the API call."""
    gate = threading.Event()

    def blocked(request: httpx.Request) -> None:
        gate.wait(5)

    receiver = Receiver(fail=blocked)
    sim, client = _setup(receiver)
    response = client.post("/v1/contacts", json=company_contact())
    assert response.status_code == 200 and not gate.is_set()
    gate.set()
    assert sim.flush_webhooks(5)
    assert len(receiver.calls) == 1


def test_emit_api_for_other_handlers() -> None:
    """sim.emit(tenant, event_type, resource_id) returns how many deliveries were queued."""
    receiver = Receiver()
    sim, _ = _setup(receiver, event="invoice.status.changed")
    tenant = sim.tenant_for_key(KEY)
    assert sim.emit(tenant, "invoice.status.changed", "abc") == 1
    assert sim.emit(tenant, "invoice.created", "abc") == 0
    assert sim.flush_webhooks(5)
    assert json.loads(receiver.calls[0].content)["resourceId"] == "abc"
