"""Hourly counters for things too frequent or too unauthenticated for the audit trail (a
webhook with a bad signature can come from anyone: a row per attempt would let anyone fill
the database). Kept in the shared cache (Redis with CACHE_URL) for two days."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

WEBHOOK_SIGNATURE_FAILED = "webhook_signature_failed"
_TTL = 2 * 24 * 3600


def _key(name: str, hour: str) -> str:
    return f"audit:count:{name}:{hour}"


def bump(name: str) -> None:
    key = _key(name, timezone.now().strftime("%Y%m%d%H"))
    try:
        if not cache.add(key, 1, _TTL):
            cache.incr(key)
    except Exception:  # a counter must never fail the request it counts
        logger.warning("could not count %s", name, exc_info=True)


def last_hours(name: str, hours: int) -> int:
    now = timezone.now()
    keys = [_key(name, (now - timedelta(hours=n)).strftime("%Y%m%d%H")) for n in range(hours)]
    try:
        return sum(int(value) for value in cache.get_many(keys).values())
    except Exception:
        return 0
