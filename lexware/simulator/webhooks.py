"""Signed webhook callbacks (lexware-api.md §7).

Body: compact JSON `{"organizationId","eventType","resourceId","eventDate"}`; header
`X-Lxo-Signature`: base64 RSASSA-PKCS1-v1_5 / SHA-512 signature over exactly those bytes (§7.3).
Deliveries run on the scheduler's daemon threads with a 5 s timeout and follow the retry and
removal rules of §7.4, every delay multiplied by `time_scale`.
"""

from __future__ import annotations

import base64
import functools
import json
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from lexware.simulator.scheduler import Scheduler
from lexware.simulator.timefmt import format_datetime

if TYPE_CHECKING:
    from lexware.simulator.state import Tenant

# §7.4: phase 1 after 10, 20, 40, 80, 160 s; phase 2: a 30 min pause, then every 2 h, 20 in all.
RETRY_DELAYS: tuple[float, ...] = (10, 20, 40, 80, 160, 1800) + (7200,) * 19
SUCCESS = frozenset({200, 201, 202, 204})
RETRIED = frozenset({401, 403, 404, 429})
TIMEOUT_SECONDS = 5.0
_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "getaddrinfo",
    "temporary failure in name resolution",
    "no address associated",
)


class Signer:
    """The simulator's own RSA key pair (2048 bit by default: fast to generate)."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self.private_key = private_key

    @classmethod
    def generate(cls, bits: int = 2048) -> Signer:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=bits))

    @classmethod
    def from_pem(cls, pem: bytes) -> Signer:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the webhook signing key must be an RSA private key")
        return cls(key)

    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, body: bytes) -> str:
        signature = self.private_key.sign(body, padding.PKCS1v15(), hashes.SHA512())
        return base64.b64encode(signature).decode("ascii")


def event_body(
    organization_id: str, event_type: str, resource_id: str, event_date: datetime
) -> bytes:
    payload = {
        "organizationId": organization_id,
        "eventType": event_type,
        "resourceId": resource_id,
        "eventDate": format_datetime(event_date),
    }
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def is_dns_failure(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, httpx.ConnectError) and any(hint in text for hint in _DNS_HINTS)


@dataclass
class Delivery:
    tenant: Tenant
    subscription_id: str
    callback_url: str
    body: bytes
    attempt: int = 0  # 0 = first try, n = n-th retry


class WebhookDispatcher:
    def __init__(
        self,
        signer: Signer,
        scheduler: Scheduler,
        *,
        time_scale: float = 1.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.signer = signer
        self.scheduler = scheduler
        self.time_scale = time_scale
        self.client = httpx.Client(
            transport=transport, timeout=TIMEOUT_SECONDS, follow_redirects=False
        )
        self.log: deque[dict[str, Any]] = deque(maxlen=10_000)
        self._log_lock = threading.Lock()

    def emit(self, tenant: Tenant, event_type: str, resource_id: str, event_date: datetime) -> int:
        """Queue one signed callback per matching subscription; returns how many were queued."""
        body = event_body(tenant.organization_id, event_type, resource_id, event_date)
        with tenant.lock:
            targets = [
                (sub_id, sub["callbackUrl"])
                for sub_id, sub in tenant.subscriptions.items()
                if sub.get("eventType") == event_type
            ]
        for sub_id, url in targets:
            delivery = Delivery(tenant, sub_id, url, body)
            self.scheduler.call_later(0, functools.partial(self._attempt, delivery))
        return len(targets)

    def probe(self, url: str) -> bool:
        """The HEAD check Lexware makes when a subscription is created (§5.11): reachable = ok."""
        try:
            self.client.head(url)
        except httpx.HTTPError:
            return False
        return True

    def _record(self, delivery: Delivery, outcome: str, status: int | None) -> None:
        entry = {
            "subscriptionId": delivery.subscription_id,
            "callbackUrl": delivery.callback_url,
            "organizationId": delivery.tenant.organization_id,
            "body": delivery.body.decode("utf-8"),
            "attempt": delivery.attempt,
            "status": status,
            "outcome": outcome,
        }
        with self._log_lock:
            self.log.append(entry)

    def _attempt(self, delivery: Delivery) -> None:
        with delivery.tenant.lock:
            if delivery.subscription_id not in delivery.tenant.subscriptions:
                return  # deleted meanwhile: nothing to deliver to
        headers = {
            "Content-Type": "application/json",
            "X-Lxo-Signature": self.signer.sign(delivery.body),
        }
        status: int | None = None
        remove_when_exhausted = False
        try:
            response = self.client.post(
                delivery.callback_url, content=delivery.body, headers=headers
            )
            status = response.status_code
        except httpx.TimeoutException:
            retry = True
        except httpx.HTTPError as exc:
            retry = True
            remove_when_exhausted = is_dns_failure(exc)
        else:
            if status in SUCCESS:
                self._record(delivery, "delivered", status)
                return
            if status == 410:
                self._remove(delivery)
                self._record(delivery, "gone: subscription removed", status)
                return
            retry = status in RETRIED or status >= 500
            remove_when_exhausted = status == 404
        if not retry:
            self._record(delivery, "failed: not retried", status)
            return
        if delivery.attempt < len(RETRY_DELAYS):
            delay = RETRY_DELAYS[delivery.attempt] * self.time_scale
            self._record(delivery, f"failed: retry in {delay:g}s", status)
            retry_delivery = Delivery(
                delivery.tenant,
                delivery.subscription_id,
                delivery.callback_url,
                delivery.body,
                delivery.attempt + 1,
            )
            self.scheduler.call_later(delay, functools.partial(self._attempt, retry_delivery))
            return
        if remove_when_exhausted:
            self._remove(delivery)
            self._record(delivery, "failed: retries exhausted, subscription removed", status)
        else:
            self._record(delivery, "failed: retries exhausted", status)

    @staticmethod
    def _remove(delivery: Delivery) -> None:
        with delivery.tenant.lock:
            delivery.tenant.subscriptions.pop(delivery.subscription_id, None)


def _events(resource: str, *kinds: str) -> list[str]:
    return [f"{resource}.{kind}" for kind in kinds]


# §7.1: the 42 event types.
EVENT_TYPES: frozenset[str] = frozenset(
    _events("article", "created", "changed", "deleted")
    + _events("contact", "created", "changed", "deleted")
    + [
        event
        for resource in (
            "credit-note",
            "delivery-note",
            "down-payment-invoice",
            "invoice",
            "order-confirmation",
            "quotation",
            "voucher",
        )
        for event in _events(resource, "created", "changed", "deleted", "status.changed")
    ]
    + _events("dunning", "created", "changed", "deleted")
    + _events("recurring-template", "created", "changed", "deleted")
    + ["payment.changed", "token.revoked"]
)
