"""Clock skew between worker hosts (reliability.md RL6): two processes whose wall clocks are a
minute apart share one Lexware key through the Redis limiter; the simulator's own log (one
clock) never shows more than rate + burst requests in a second, and no 429.

It holds because RedisRateLimiter takes the time from Redis (`TIME` inside its Lua script),
never from the caller: the clocks of the callers do not enter the arithmetic. A limiter that
used each caller's clock would let the fast clock refill the bucket every time the slow clock
wrote it. FileRateLimiter (the demo's limiter when no Redis is configured) shares a bucket only
between processes of one machine, which read one kernel clock: skew between hosts does not
apply to it (it would only arise by faking a process's clock, as this test does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.reliability.rig import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
SKEWS = (+30, -30)  # seconds: the two hosts' clocks are a minute apart
CALLS = 8  # per process: 16 calls at 2/s take about 8 s


def _skewed_env(skew: int) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if LIBFAKETIME.exists():
        # Monotonic time is shifted too (FAKETIME_DONT_FAKE_MONOTONIC breaks time.sleep on
        # libfaketime 0.9.10: clock_nanosleep gets an invalid absolute deadline).
        env.update(LD_PRELOAD=str(LIBFAKETIME), FAKETIME=f"{skew:+d}s", FAKETIME_NO_CACHE="1")
    else:  # no libfaketime package: time-machine shifts the Python process's clock instead
        env["SKEW_SECONDS"] = str(skew)
    return env


def test_rl6_skewed_clocks_do_not_exceed_the_rate(simulator, broker_url) -> None:
    """RL6: two callers with clocks 60 s apart, one key, one Redis limiter: ≤ rate + burst per
    second at the simulator and no 429."""
    import redis

    api_key = f"rl6-{uuid.uuid4().hex}"
    simulator.control("POST", "rate-limit", json={"rate": 2, "burst": 2})
    redis.Redis.from_url(broker_url).flushdb()
    callers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability.skewed_caller",
                broker_url,
                simulator.url,
                api_key,
                str(CALLS),
            ],
            cwd=ROOT,
            env=_skewed_env(skew),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for skew in SKEWS
    ]
    try:
        for caller in callers:
            assert caller.stdout is not None and caller.stdout.readline().strip() == "ready"
        for caller in callers:
            assert caller.stdin is not None
            caller.stdin.write("go\n")
            caller.stdin.flush()
        reports = []
        for caller in callers:
            out, err = caller.communicate(timeout=60)
            assert caller.returncode == 0, err[-3000:]
            reports.append(json.loads(out.strip().splitlines()[-1]))
        now = time.time()
    finally:
        for caller in callers:
            if caller.poll() is None:
                caller.kill()
                caller.wait(timeout=5)

    # The skew was real: each process saw its own wall clock.
    offsets = [report["wall_clock"] - now for report in reports]
    assert offsets[0] > 20 and offsets[1] < -20, offsets
    assert all(report["statuses"] == [200] * CALLS for report in reports), reports

    log = [
        entry for entry in simulator.requests(api_key) if entry["path"].startswith("/v1/contacts")
    ]
    assert len(log) == 2 * CALLS
    assert [entry for entry in log if entry["status"] == 429] == []
    times = sorted(float(entry["timestamp"]) for entry in log)
    worst = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert worst <= 4, f"{worst} requests in one second (rate 2 + burst 2 allowed)"
    assert len(times) / max(times[-1] - times[0], 1e-9) <= 2.2
