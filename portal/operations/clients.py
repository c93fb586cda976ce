"""The one place where the portal builds Lexware clients (DESIGN.md §6): the runner.

The API key is decrypted here, inside the worker, right before the client is built; it is
never passed around, logged or put into task arguments.
"""

from __future__ import annotations

import logging
import time
from functools import cache
from typing import TYPE_CHECKING

import httpx
from django.conf import settings
from django.db import transaction

from lexware import LexwareClient
from lexware.ratelimit import FileRateLimiter, NoLimiter, RateLimiter, RedisRateLimiter
from portal.audit.models import LexwareCall
from portal.core import crypto

if TYPE_CHECKING:
    from lexware.simulator import Simulator
    from portal.organizations.models import LexwareConnection


@cache
def rate_limiter() -> RateLimiter:
    """One limiter per process; the budget itself lives in Redis (or a lock file), shared."""
    choice = getattr(settings, "LEXWARE_LIMITER", "auto")
    rate, burst = settings.LEXWARE_RATE_PER_SECOND, settings.LEXWARE_BURST
    jitter = float(getattr(settings, "LEXWARE_JITTER_SECONDS", 0.0))
    if choice == "none":
        return NoLimiter()
    if choice == "redis" or (choice == "auto" and settings.REDIS_URL):
        import redis

        return RedisRateLimiter(
            redis.Redis.from_url(settings.REDIS_URL), rate=rate, burst=burst, jitter=jitter
        )
    settings.LEXWARE_LIMITER_DIR.mkdir(parents=True, exist_ok=True)
    return FileRateLimiter(settings.LEXWARE_LIMITER_DIR, rate=rate, burst=burst, jitter=jitter)


@cache
def in_process_simulator() -> Simulator:
    """Tests only: one simulator in this process, reached without a socket."""
    from lexware.simulator import Simulator

    return Simulator(
        rate=1000.0, burst=1000, seed="empty", probe_callbacks=False, allow_http_callbacks=True
    )


logger = logging.getLogger(__name__)


class RecordingTransport(httpx.BaseTransport):
    """Our own request log (portal.audit.LexwareCall): one row per exchange with Lexware,
    for the health page's answers per organization (calls, status classes, p95 latency).

    Rows are buffered and written in one INSERT when the client closes (the runner closes it
    after each operation), every FLUSH_EVERY rows, or FLUSH_SECONDS after the first buffered
    one: a sync of thousands of calls costs a few statements, not a commit per call. A failed
    write is logged and dropped; it never disturbs the operation. The time is to the answer's
    headers (what Lexware took)."""

    FLUSH_EVERY = 50
    FLUSH_SECONDS = 10.0

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        organization_id: int | None,
        operation_id: int | None,
        lane: str,
    ) -> None:
        self._inner = inner
        self._organization_id = organization_id
        self._operation_id = operation_id
        self._lane = lane
        self._pending: list[LexwareCall] = []
        self._first_pending_at = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.monotonic()
        try:
            response = self._inner.handle_request(request)
        except Exception:
            self._record(request, 0, started)
            raise
        self._record(request, response.status_code, started)
        return response

    def _record(self, request: httpx.Request, status: int, started: float) -> None:
        now = time.monotonic()
        if not self._pending:
            self._first_pending_at = now
        self._pending.append(
            LexwareCall(
                organization_id=self._organization_id,
                operation_id=self._operation_id,
                method=request.method[:8],
                path=request.url.path[:200],
                status=status,
                duration_ms=int((now - started) * 1000),
                lane=self._lane[:12],
            )
        )
        if (
            len(self._pending) >= self.FLUSH_EVERY
            or now - self._first_pending_at > self.FLUSH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            with transaction.atomic():
                LexwareCall.objects.bulk_create(rows)
        except Exception:
            logger.warning("could not record %d Lexware calls", len(rows), exc_info=True)

    def close(self) -> None:
        self.flush()
        self._inner.close()


def _transport() -> httpx.BaseTransport:
    if getattr(settings, "LEXWARE_IN_PROCESS_SIMULATOR", False):
        from lexware.simulator import make_transport

        return make_transport(in_process_simulator())
    # As lexware's own default: connection retries happen in its loop, each with a permit.
    return httpx.HTTPTransport(
        retries=0, limits=httpx.Limits(max_connections=4, max_keepalive_connections=2)
    )


def client_for_key(
    api_key: str,
    *,
    lane: str = "interactive",
    organization_id: int | None = None,
    operation_id: int | None = None,
) -> LexwareClient:
    return LexwareClient(
        api_key,
        base_url=settings.LEXWARE_BASE_URL,
        limiter=rate_limiter(),
        lane=lane,
        transport=RecordingTransport(
            _transport(),
            organization_id=organization_id,
            operation_id=operation_id,
            lane=lane,
        ),
    )


def client_for_connection(
    connection: LexwareConnection, *, lane: str = "interactive", operation_id: int | None = None
) -> LexwareClient:
    """Raises portal.core.crypto.DecryptionError when the key ring cannot read the key."""
    return client_for_key(
        crypto.decrypt(connection.encrypted_api_key),
        lane=lane,
        organization_id=connection.organization_id,
        operation_id=operation_id,
    )
