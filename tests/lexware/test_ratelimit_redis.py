"""RedisRateLimiter against the real Redis on 127.0.0.1:6379 (reliability.md RL1, RL3, RL5)."""

from __future__ import annotations

import multiprocessing
import statistics
import time
import uuid
from typing import Any

import httpx
import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexware import LexwareClient
from lexware.errors import LimiterUnavailable
from lexware.ratelimit import RedisRateLimiter, bucket_step

pytestmark = pytest.mark.redis

RATE, BURST, RESERVE = 1.9, 2.0, 0.5


def _prefix() -> str:
    # Distinct per test run (and per test) so parallel runs never share a bucket.
    return f"test:lexware:ratelimit:{uuid.uuid4().hex}:"


@pytest.fixture
def limiter(redis_url: str) -> Any:
    client = redis.Redis.from_url(redis_url)
    prefix = _prefix()
    # The pure bucket (no jitter allowance), so the reference model below applies as it is.
    yield RedisRateLimiter(
        client, rate=RATE, burst=BURST, reserve=RESERVE, jitter=0.0, prefix=prefix
    )
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


# Each example uses a fresh random key, so sharing the fixture between examples is safe.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    schedule=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1.5), st.sampled_from(["interactive", "bulk"])),
        min_size=1,
        max_size=30,
    )
)
def test_lua_script_matches_the_reference_model(limiter: RedisRateLimiter, schedule: Any) -> None:
    """RL3 (Zulip style): explicit timestamps make the script deterministic; compare it with
    the Python model step by step."""
    key = uuid.uuid4().hex[:16]
    now = 1_700_000_000.0
    tokens, last = BURST, now
    for gap, lane in schedule:
        now = round(now + gap, 6)
        decision = limiter.try_acquire(key, lane=lane, now=now)
        granted, tokens, wait = bucket_step(
            tokens, last, now, rate=RATE, burst=BURST, need=limiter.need_for(lane)
        )
        last = now
        assert decision.granted == granted
        assert decision.wait == pytest.approx(wait, abs=2e-6)


def test_redis_clock_is_used_and_state_expires(limiter: RedisRateLimiter, redis_url: str) -> None:
    decision, server_now = limiter.try_acquire_at("abcdef0123456789")
    assert decision.granted
    assert abs(server_now - time.time()) < 5
    ttl = redis.Redis.from_url(redis_url).pttl(limiter.prefix + "abcdef0123456789")
    assert 0 < ttl <= 2100


def _hammer(url: str, prefix: str, lane: str, think: float, seconds: float, queue: Any) -> None:
    limiter = RedisRateLimiter(
        redis.Redis.from_url(url), rate=RATE, burst=BURST, reserve=RESERVE, prefix=prefix
    )
    grants: list[float] = []
    waits: list[float] = []
    stop = time.time() + seconds
    while time.time() < stop:
        started = time.time()
        try:
            limiter.acquire("0123456789abcdef", lane=lane, timeout=max(0.01, stop - started))
        except Exception:  # RateLimitTimeout at the end of the run
            break
        granted = time.time()
        grants.append(granted)
        waits.append(granted - started)
        if think:
            time.sleep(think)
    queue.put((lane, grants, waits))


def _run(
    url: str, plan: list[tuple[str, float]], seconds: float
) -> list[tuple[str, list[float], list[float]]]:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    prefix = _prefix()
    workers = [
        context.Process(target=_hammer, args=(url, prefix, lane, think, seconds, queue))
        for lane, think in plan
    ]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=seconds + 30) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    return results


def _assert_within_budget(grants: list[float], seconds: float) -> None:
    grants = sorted(grants)
    # Any window shorter than 1 s (stamps are taken a moment after the grant: 50 ms slack)
    # holds at most burst + rate * 1 s = 3.9, i.e. 3 grants.
    for i, start in enumerate(grants):
        in_window = sum(1 for stamp in grants[i:] if stamp - start < 0.95)
        assert in_window <= int(BURST + RATE * 1.0), (i, in_window)
    assert len(grants) <= BURST + RATE * (grants[-1] - grants[0] + 0.05)
    # ...and the budget is used: close to the full rate.
    assert len(grants) >= RATE * seconds * 0.85


@pytest.mark.slow
def test_four_processes_never_exceed_the_budget(redis_url: str) -> None:
    seconds = 10.0
    results = _run(redis_url, [("interactive", 0.0)] * 2 + [("bulk", 0.0)] * 2, seconds)
    grants = [stamp for _, stamps, _ in results for stamp in stamps]
    _assert_within_budget(grants, seconds)


@pytest.mark.slow
def test_interactive_waits_much_less_than_bulk_under_contention(redis_url: str) -> None:
    seconds = 10.0
    # Three bulk processes keep the bucket drained; one "user" asks about once a second.
    results = _run(redis_url, [("bulk", 0.0)] * 3 + [("interactive", 1.0)], seconds)
    grants = [stamp for _, stamps, _ in results for stamp in stamps]
    _assert_within_budget(grants, seconds)
    interactive = [w for lane, _, waits in results if lane == "interactive" for w in waits]
    bulk = [w for lane, _, waits in results if lane == "bulk" for w in waits]
    assert len(interactive) >= 8 and len(bulk) >= 3  # bulk keeps moving, not starved
    assert statistics.mean(interactive) < 0.6
    assert statistics.mean(interactive) * 4 < statistics.mean(bulk)


def test_fail_closed_when_redis_is_unreachable() -> None:
    """RL5: a closed port → LimiterUnavailable, and the request is never sent."""
    limiter = RedisRateLimiter.from_url("redis://127.0.0.1:1/0")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=[])

    client = LexwareClient("k", limiter=limiter, transport=httpx.MockTransport(handler))
    with pytest.raises(LimiterUnavailable):
        client.countries.list()
    assert sent == []
    with pytest.raises(LimiterUnavailable):
        limiter.acquire("0123456789abcdef", timeout=1)
