"""Client-side rate limiting of Lexware calls: one budget per API key (lexware-api.md §1.5).

Lexware allows 2 requests/second per key (a token bucket counted over all endpoints) and
answers 429 beyond it. Every attempt of the request loop, retries included, first takes a
permit from a :class:`RateLimiter`. Buckets are keyed by :func:`key_fingerprint` (a truncated
SHA-256 of the key), so the key itself never reaches Redis or the file system.

Algorithm (identical in all three stores): a token bucket with ``capacity`` tokens refilled at
``rate`` tokens/second (defaults 1.9/s, just under Lexware's 2/s). A bucket starts full. In any
interval of length T at most ``capacity + rate*T`` permits are granted.

Jitter: Lexware counts a request when it *arrives*, we count it when we *grant* it. Between the
two lie our process scheduling, a new TCP/TLS connection for some requests and not others, and
the network; if that delay varies by up to J seconds, a sequence of grants conforming to
(rate, c) arrives conforming to (rate, c + rate*J) (an earlier request delayed by J lands next to
a later one). Lexware's bucket (2/s, 2) admits it if c + rate*J <= 2. So ``burst`` is the size
of Lexware's bucket and ``jitter`` the delay variation we tolerate; the usable capacity is
``burst - rate*jitter`` (2 - 1.9*0.25 = 1.525 with the portal's settings). Without it, after an
idle moment two permits at once and a third 1/rate later leave only 0.05 tokens (26 ms) of
slack, and a benchmark with 20 interactive threads did see a 429. Clock skew between machines
cannot matter: the Redis store uses one clock (Redis ``TIME``), and the slower rate absorbs
drift of the clock rate (0.1 token/s slack ≫ any crystal's error).

Lanes: ``interactive`` (a user is waiting) and ``bulk`` (sync, backfills). An interactive
acquisition needs 1 token; a bulk acquisition needs ``1 + reserve`` tokens available, i.e. bulk
may only take a token while at least ``reserve`` tokens would remain. Consequences:

* bulk alone still gets the full rate (its threshold is just shifted by ``reserve``);
* while bulk work keeps the bucket drained, the bucket passes the interactive threshold
  ``reserve / rate`` seconds before the bulk threshold, so a waiting interactive caller always
  wins the next token, and an interactive caller arriving at a quiet moment finds up to
  ``reserve`` tokens untouched by bulk;
* under sustained interactive saturation bulk waits (interactive is served ahead by design).

Waiting callers poll: a refused attempt returns the exact time until its lane's threshold is
reached, the caller sleeps that long (bounded by its timeout) and tries again.

Stores: :class:`InMemoryRateLimiter` (one process, thread-safe, injectable clock),
:class:`FileRateLimiter` (all processes of one machine, ``fcntl`` lock on a per-key file; the
demo uses it when REDIS_URL is unset), :class:`RedisRateLimiter` (all machines; one atomic Lua
script on Redis's clock, fails closed when Redis is unreachable, reliability.md RL5) and
:class:`NoLimiter` for tests. Only the Redis store needs a third-party package (``redis``, extra
``lexware-portal[redis]``); it is imported when a Redis limiter is used, never at import time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from lexware.errors import LimiterUnavailable, RateLimitTimeout

__all__ = [
    "DEFAULT_BURST",
    "DEFAULT_JITTER",
    "DEFAULT_RATE",
    "DEFAULT_RESERVE",
    "LANES",
    "Decision",
    "FileRateLimiter",
    "InMemoryRateLimiter",
    "LimiterUnavailable",
    "NoLimiter",
    "RateLimitTimeout",
    "RateLimiter",
    "RedisRateLimiter",
    "bucket_step",
    "key_fingerprint",
]

# Just under Lexware's 2/s (§1.5). With the jitter allowance below, the usable bucket is
# burst - rate * jitter (about 1.5 tokens), so a call that reaches Lexware up to `jitter`
# seconds later than its permit still fits Lexware's own bucket of 2.
DEFAULT_RATE = 1.95
DEFAULT_BURST = 2.0
DEFAULT_RESERVE = 0.5
DEFAULT_JITTER = 0.25
LANES = ("interactive", "bulk")
_KEY_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


class RateLimiter(Protocol):
    def acquire(
        self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
    ) -> None:
        """Block until a permit for ``key_id`` is granted; raise RateLimitTimeout after
        ``timeout`` seconds (None: wait as long as it takes)."""


def key_fingerprint(api_key: str) -> str:
    """Stable, non-secret bucket id for an API key: sha256 hex, first 16 characters."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Decision:
    granted: bool
    wait: float  # seconds until this lane's threshold is reached (0 when granted)


def bucket_step(
    tokens: float, last: float, now: float, *, rate: float, burst: float, need: float
) -> tuple[bool, float, float]:
    """One token-bucket step: (granted, tokens after the step, seconds to wait if refused).

    The reference model; the Lua script in RedisRateLimiter does the same arithmetic.
    """
    elapsed = max(0.0, now - last)  # a clock stepping backwards never mints tokens
    tokens = min(burst, tokens + elapsed * rate)
    if tokens >= need:
        return (True, tokens - 1.0, 0.0)
    return (False, tokens, (need - tokens) / rate)


class _BucketLimiter:
    """Shared parameters, lane thresholds and the blocking acquire loop."""

    def __init__(
        self,
        *,
        rate: float = DEFAULT_RATE,
        burst: float = DEFAULT_BURST,
        reserve: float = DEFAULT_RESERVE,
        jitter: float = DEFAULT_JITTER,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        if jitter < 0:
            raise ValueError("jitter must not be negative")
        capacity = float(burst) - float(rate) * float(jitter)
        if not 0 <= reserve <= capacity - 1:
            raise ValueError("reserve must be between 0 and burst - rate*jitter - 1")
        self.rate = float(rate)
        self.burst = float(burst)
        self.reserve = float(reserve)
        self.jitter = float(jitter)
        # What the bucket may hold: Lexware's burst minus what delay variation can add to it.
        self.capacity = capacity
        self._sleep = sleep
        self._monotonic = monotonic

    def need_for(self, lane: str) -> float:
        if lane == "interactive":
            return 1.0
        if lane == "bulk":
            return 1.0 + self.reserve
        raise ValueError(f"unknown lane {lane!r}; expected one of {LANES}")

    def try_acquire(self, key_id: str, *, lane: str = "interactive") -> Decision:
        raise NotImplementedError

    def acquire(
        self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
    ) -> None:
        if not _KEY_ID.match(key_id):
            raise ValueError("key_id must be a short fingerprint, never the API key itself")
        self.need_for(lane)
        deadline = None if timeout is None else self._monotonic() + timeout
        while True:
            decision = self.try_acquire(key_id, lane=lane)
            if decision.granted:
                return
            wait = max(decision.wait, 0.001)
            if deadline is not None:
                remaining = deadline - self._monotonic()
                if remaining <= 0 or wait > remaining:
                    # Sleeping until the deadline cannot help: the threshold comes later.
                    raise RateLimitTimeout(
                        f"no rate-limit permit for lane {lane!r} within {timeout:.2f} s"
                    )
            self._sleep(wait)


class NoLimiter:
    """Grants every permit at once. For tests only."""

    def acquire(
        self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
    ) -> None:
        return None


class InMemoryRateLimiter(_BucketLimiter):
    """One process, thread-safe. ``clock``/``sleep`` are injectable for deterministic tests."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        burst: float = DEFAULT_BURST,
        reserve: float = DEFAULT_RESERVE,
        *,
        jitter: float = DEFAULT_JITTER,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            rate=rate, burst=burst, reserve=reserve, jitter=jitter, sleep=sleep, monotonic=clock
        )
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def try_acquire(self, key_id: str, *, lane: str = "interactive") -> Decision:
        need = self.need_for(lane)
        with self._lock:
            now = self._clock()
            tokens, last = self._buckets.get(key_id, (self.capacity, now))
            granted, tokens, wait = bucket_step(
                tokens, last, now, rate=self.rate, burst=self.capacity, need=need
            )
            self._buckets[key_id] = (tokens, now)
        return Decision(granted, wait)


class FileRateLimiter(_BucketLimiter):
    """All processes of one machine share a bucket per key through a small locked file.

    Each file holds ``"<tokens> <unix time>"``; an exclusive ``fcntl.flock`` makes each
    read-modify-write atomic. Wall-clock time is used because it is the one clock all
    processes agree on; a backwards step only delays refill (see :func:`bucket_step`).
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        rate: float = DEFAULT_RATE,
        burst: float = DEFAULT_BURST,
        reserve: float = DEFAULT_RESERVE,
        *,
        jitter: float = DEFAULT_JITTER,
    ) -> None:
        super().__init__(rate=rate, burst=burst, reserve=reserve, jitter=jitter)
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    def try_acquire(self, key_id: str, *, lane: str = "interactive") -> Decision:
        need = self.need_for(lane)
        if not _KEY_ID.match(key_id):
            raise ValueError("invalid key_id")
        path = self.directory / f"{key_id}.bucket"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.read(fd, 128).decode("ascii", "replace").split()
            now = time.time()
            try:
                tokens, last = float(raw[0]), float(raw[1])
            except (IndexError, ValueError):
                tokens, last = self.capacity, now  # new or unreadable file: start full
            granted, tokens, wait = bucket_step(
                tokens, last, now, rate=self.rate, burst=self.capacity, need=need
            )
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, f"{tokens:.6f} {now:.6f}".encode("ascii"))
        finally:
            os.close(fd)  # closing releases the flock
        return Decision(granted, wait)


def _import_redis() -> Any:
    """The ``redis`` module, imported only when a Redis limiter is used (an optional extra)."""
    try:
        import redis
    except ImportError as exc:
        raise ImportError(
            "RedisRateLimiter needs the 'redis' package: pip install 'lexware-portal[redis]'"
        ) from exc
    return redis


# KEYS[1] = bucket; ARGV = rate, capacity (burst - rate*jitter), need, now_us ("" = use Redis TIME; tests pass a value).
# Time is in integer microseconds; "%.0f" keeps them exact (they stay far below 2^53).
REDIS_BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local need = tonumber(ARGV[3])
local now
if ARGV[4] ~= nil and ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local last = tonumber(state[2])
if tokens == nil or last == nil then
  tokens = burst
  last = now
end
local elapsed = now - last
if elapsed < 0 then elapsed = 0 end
tokens = math.min(burst, tokens + elapsed * rate / 1000000)
local granted = 0
local wait_us = 0
if tokens >= need then
  tokens = tokens - 1
  granted = 1
else
  wait_us = math.ceil((need - tokens) * 1000000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens), 'ts', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {granted, wait_us, string.format('%.0f', now)}
"""


class RedisRateLimiter(_BucketLimiter):
    """One bucket per key shared by every process on every machine.

    One atomic Lua script per attempt, on Redis's clock (``TIME``), so clock skew between
    workers cannot create bursts (RL6). If Redis cannot be reached, :class:`LimiterUnavailable`
    is raised and no permit is given: we fail closed (RL5).
    """

    def __init__(
        self,
        redis_client: Any,
        rate: float = DEFAULT_RATE,
        burst: float = DEFAULT_BURST,
        reserve: float = DEFAULT_RESERVE,
        *,
        jitter: float = DEFAULT_JITTER,
        prefix: str = "lexware:ratelimit:",
    ) -> None:
        super().__init__(rate=rate, burst=burst, reserve=reserve, jitter=jitter)
        self._redis = redis_client
        self.prefix = prefix
        self._script = redis_client.register_script(REDIS_BUCKET_SCRIPT)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> RedisRateLimiter:
        redis = _import_redis()
        # Short socket timeouts: an unreachable store must fail fast, not hang a worker.
        client = redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=2.0)
        return cls(client, **kwargs)

    def try_acquire(
        self, key_id: str, *, lane: str = "interactive", now: float | None = None
    ) -> Decision:
        """``now`` (unix seconds) replaces Redis's clock; only tests pass it."""
        return self._run(key_id, lane=lane, now=now)[0]

    def try_acquire_at(
        self, key_id: str, *, lane: str = "interactive", now: float | None = None
    ) -> tuple[Decision, float]:
        """Like try_acquire, also returning the Redis time (unix seconds) of the decision."""
        return self._run(key_id, lane=lane, now=now)

    def _run(self, key_id: str, *, lane: str, now: float | None) -> tuple[Decision, float]:
        redis = _import_redis()
        need = self.need_for(lane)
        now_arg = "" if now is None else f"{round(now * 1_000_000)}"
        try:
            result = self._script(
                keys=[self.prefix + key_id], args=[self.rate, self.capacity, need, now_arg]
            )
        except redis.RedisError as exc:
            raise LimiterUnavailable(
                f"rate limiter store unavailable ({type(exc).__name__}); not sending"
            ) from exc
        granted, wait_us, server_now = result
        server_seconds = int(server_now) / 1_000_000
        return (Decision(bool(int(granted)), int(wait_us) / 1_000_000), server_seconds)
