"""The limiter and Lexware's bucket never disagree when arrival delays vary by up to `jitter`
(lexware/ratelimit.py "Jitter"; found by benchmarks.pages: 20 interactive threads, one 429)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lexware.ratelimit import DEFAULT_JITTER, InMemoryRateLimiter

KEY = "0123456789abcdef"
LEXWARE_RATE, LEXWARE_BURST = 2.0, 2.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def refused_by_lexware(arrivals: list[float]) -> int:
    """Replays Lexware's token bucket (2/s, burst 2, starts full) over arrival times."""
    tokens, last, refused = LEXWARE_BURST, 0.0, 0
    for stamp in sorted(arrivals):
        tokens = min(LEXWARE_BURST, tokens + (stamp - last) * LEXWARE_RATE)
        last = stamp
        if tokens >= 1.0 - 1e-9:
            tokens -= 1.0
        else:
            refused += 1
    return refused


def arrivals_for(
    limiter: InMemoryRateLimiter, clock: FakeClock, schedule: list[tuple[float, str, float]]
) -> list[float]:
    arrivals = []
    for gap, lane, delay in schedule:
        clock.now += gap
        limiter.acquire(KEY, lane=lane)
        arrivals.append(clock.now + delay)
    return arrivals


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(0, 3), st.sampled_from(["interactive", "bulk"]), st.floats(0, DEFAULT_JITTER)
        ),
        min_size=1,
        max_size=60,
    )
)
def test_delays_up_to_the_jitter_never_cause_a_429(
    schedule: list[tuple[float, str, float]],
) -> None:
    clock = FakeClock()
    limiter = InMemoryRateLimiter(
        1.9, 2.0, 0.5, jitter=DEFAULT_JITTER, clock=clock, sleep=clock.sleep
    )
    assert refused_by_lexware(arrivals_for(limiter, clock, schedule)) == 0


def test_without_the_jitter_allowance_two_delayed_permits_cause_a_429() -> None:
    """After an idle moment: two permits at once (delayed 0.1 s, e.g. new connections), a third
    1/rate later on a warm connection: Lexware's bucket has refilled only 0.85 tokens."""
    schedule = [(0.0, "interactive", 0.1), (0.0, "interactive", 0.1), (0.0, "interactive", 0.0)]
    clock = FakeClock()
    bare = InMemoryRateLimiter(1.9, 2.0, 0.5, jitter=0.0, clock=clock, sleep=clock.sleep)
    assert refused_by_lexware(arrivals_for(bare, clock, schedule)) == 1
    clock = FakeClock()
    allowed = InMemoryRateLimiter(
        1.9, 2.0, 0.5, jitter=DEFAULT_JITTER, clock=clock, sleep=clock.sleep
    )
    assert refused_by_lexware(arrivals_for(allowed, clock, schedule)) == 0


def test_capacity_and_validation() -> None:
    limiter = InMemoryRateLimiter(1.9, 2.0, 0.5, jitter=0.25)
    assert limiter.capacity == pytest.approx(1.525)
    with pytest.raises(ValueError):
        InMemoryRateLimiter(
            1.9, 2.0, 0.5, jitter=0.5
        )  # capacity 1.05 leaves no room for the reserve
    with pytest.raises(ValueError):
        InMemoryRateLimiter(1.9, 2.0, 0.0, jitter=-0.1)
