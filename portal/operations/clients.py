"""The one place where the portal builds Lexware clients (DESIGN.md §6): the runner.

The API key is decrypted here, inside the worker, right before the client is built; it is
never passed around, logged or put into task arguments.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

from lexware import LexwareClient
from lexware.ratelimit import FileRateLimiter, NoLimiter, RateLimiter, RedisRateLimiter
from portal.core import crypto

if TYPE_CHECKING:
    import httpx

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


def _transport() -> httpx.BaseTransport | None:
    if getattr(settings, "LEXWARE_IN_PROCESS_SIMULATOR", False):
        from lexware.simulator import make_transport

        return make_transport(in_process_simulator())
    return None


def client_for_key(api_key: str, *, lane: str = "interactive") -> LexwareClient:
    return LexwareClient(
        api_key,
        base_url=settings.LEXWARE_BASE_URL,
        limiter=rate_limiter(),
        lane=lane,
        transport=_transport(),
    )


def client_for_connection(
    connection: LexwareConnection, *, lane: str = "interactive"
) -> LexwareClient:
    """Raises portal.core.crypto.DecryptionError when the key ring cannot read the key."""
    return client_for_key(crypto.decrypt(connection.encrypted_api_key), lane=lane)
