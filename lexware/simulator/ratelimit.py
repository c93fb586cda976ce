"""Per-API-key token bucket (lexware-api.md §1.5): `rate` tokens per second, at most `burst`.

A request that finds the bucket empty gets 429 and is not executed, so it must not consume
anything either. Monotonic time keeps the bucket immune to clock offsets set via control.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()

    def try_acquire(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False


class RateLimiter:
    """One bucket per key. `rate <= 0` disables limiting (benchmarks of the simulator itself)."""

    def __init__(
        self, rate: float = 2.0, burst: float = 2, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def configure(self, *, rate: float | None = None, burst: float | None = None) -> None:
        with self._lock:
            if rate is not None:
                self.rate = rate
            if burst is not None:
                self.burst = burst
            self._buckets.clear()

    def try_acquire(self, key: str) -> bool:
        if self.rate <= 0:
            return True
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(self.rate, self.burst, self._clock)
            return bucket.try_acquire()

    def reset(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._buckets.clear()
            else:
                self._buckets.pop(key, None)
