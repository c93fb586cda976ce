"""Deterministic limiter tests on an injected clock (reliability.md RL3) and the file store."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lexware.errors import RateLimitTimeout
from lexware.ratelimit import FileRateLimiter, InMemoryRateLimiter, bucket_step, key_fingerprint

KEY = "0123456789abcdef"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _limiter(clock: FakeClock, **kwargs: float) -> InMemoryRateLimiter:
    # The pure token bucket: these tests state their own jitter allowance when they want one.
    kwargs.setdefault("jitter", 0.0)
    return InMemoryRateLimiter(clock=clock, sleep=clock.sleep, **kwargs)


def test_key_fingerprint_is_a_short_sha256_prefix_without_the_key() -> None:
    fingerprint = key_fingerprint("my-secret-api-key")
    assert len(fingerprint) == 16 and "secret" not in fingerprint
    assert fingerprint == key_fingerprint("my-secret-api-key") != key_fingerprint("other")


def test_burst_then_spacing_at_the_rate() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, rate=2.0, burst=2.0, reserve=0.5)
    granted_at = []
    for _ in range(6):
        limiter.acquire(KEY)
        granted_at.append(round(clock.now - 1000.0, 6))
    assert granted_at == [0.0, 0.0, 0.5, 1.0, 1.5, 2.0]


def test_try_acquire_refuses_with_the_exact_wait() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, rate=1.9, burst=2.0, reserve=0.5)
    assert limiter.try_acquire(KEY).granted and limiter.try_acquire(KEY).granted
    refused = limiter.try_acquire(KEY)
    assert not refused.granted and refused.wait == pytest.approx(1 / 1.9)
    bulk = limiter.try_acquire(KEY, lane="bulk")
    assert not bulk.granted and bulk.wait == pytest.approx(1.5 / 1.9)


def test_bulk_leaves_the_reserve_for_interactive() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, rate=1.0, burst=2.0, reserve=0.5)
    assert limiter.try_acquire(KEY, lane="bulk").granted  # 2 -> 1 token
    assert not limiter.try_acquire(KEY, lane="bulk").granted  # would leave 0 < reserve
    assert limiter.try_acquire(KEY, lane="interactive").granted  # the reserve is interactive's


def test_bulk_alone_still_gets_the_full_rate() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, rate=2.0, burst=2.0, reserve=0.5)
    for _ in range(21):
        limiter.acquire(KEY, lane="bulk")
    # 1 at t=0 (2 -> 1 token), then one every 0.5 s... 20 more after 1.5 tokens are back.
    assert clock.now - 1000.0 == pytest.approx(0.25 + 19 * 0.5, abs=1e-6)


def test_timeout_raises_without_waiting_pointlessly() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, rate=0.1, burst=1.0, reserve=0.0)
    limiter.acquire(KEY)
    with pytest.raises(RateLimitTimeout):
        limiter.acquire(KEY, timeout=2.0)
    assert clock.now == 1000.0  # the permit was 10 s away: no sleep at all


def test_keys_have_separate_buckets() -> None:
    clock = FakeClock()
    limiter = _limiter(clock, rate=1.0, burst=1.0, reserve=0.0)
    assert limiter.try_acquire("aaaa").granted
    assert limiter.try_acquire("bbbb").granted
    assert not limiter.try_acquire("aaaa").granted


def test_the_api_key_itself_is_refused_as_key_id() -> None:
    with pytest.raises(ValueError):
        InMemoryRateLimiter().acquire("Bearer abc def")


def test_invalid_parameters_and_lanes_are_refused() -> None:
    with pytest.raises(ValueError):
        InMemoryRateLimiter(rate=0)
    with pytest.raises(ValueError):
        InMemoryRateLimiter(burst=2, reserve=1.5, jitter=0.0)
    with pytest.raises(ValueError):
        InMemoryRateLimiter().acquire(KEY, lane="urgent")


@settings(max_examples=200, deadline=None)
@given(
    gaps=st.lists(st.floats(min_value=0, max_value=2.0), min_size=1, max_size=60),
    lanes=st.lists(st.sampled_from(["interactive", "bulk"]), min_size=60, max_size=60),
)
def test_never_more_than_burst_plus_rate_times_window(gaps: list[float], lanes: list[str]) -> None:
    """RL3: random schedules; every window of length T holds at most burst + rate*T grants."""
    clock = FakeClock()
    rate, burst = 1.9, 2.0
    limiter = _limiter(clock, rate=rate, burst=burst, reserve=0.5)
    grants: list[float] = []
    for gap, lane in zip(gaps, lanes, strict=False):
        clock.now += gap
        if limiter.try_acquire(KEY, lane=lane).granted:
            grants.append(clock.now)
    for i, start in enumerate(grants):
        for j in range(i, len(grants)):
            assert j - i + 1 <= burst + rate * (grants[j] - start) + 1e-9


def test_bucket_step_never_mints_tokens_when_the_clock_goes_back() -> None:
    granted, tokens, _ = bucket_step(0.2, 100.0, 50.0, rate=2.0, burst=2.0, need=1.0)
    assert not granted and tokens == pytest.approx(0.2)


def _hammer_file(directory: str, seconds: float, queue: multiprocessing.Queue[list[float]]) -> None:
    limiter = FileRateLimiter(directory, rate=5.0, burst=2.0, reserve=0.5, jitter=0.0)
    stamps: list[float] = []
    stop = time.time() + seconds
    while time.time() < stop:
        limiter.acquire(KEY, timeout=5)
        stamps.append(time.time())
    queue.put(stamps)


def test_file_limiter_shares_one_budget_across_processes(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[list[float]] = context.Queue()
    seconds = 2.0
    workers = [
        context.Process(target=_hammer_file, args=(str(tmp_path), seconds, queue)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    stamps = sorted(s for _ in workers for s in queue.get(timeout=30))
    for worker in workers:
        worker.join(timeout=10)
    # Token bucket bound over the whole run: burst + rate * span (5 ms slack for the stamp
    # being taken just after the grant).
    assert len(stamps) >= 8
    assert len(stamps) <= 2 + 5 * (stamps[-1] - stamps[0] + 0.005)
    for i, start in enumerate(stamps):
        in_window = sum(1 for s in stamps[i:] if s - start < 0.95)
        assert in_window <= 2 + 5  # burst + rate * 1 s
