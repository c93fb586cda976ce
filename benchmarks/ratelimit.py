"""Rate-limit benchmark (issue 3 item 8): does one shared limiter use Lexware's budget fully,
never exceed it, and keep interactive calls fast while bulk work saturates it?

Setup: the simulator served over HTTP with its real token bucket (2 requests/s, burst 2);
``--processes`` worker processes (default 4) make bulk calls (``lane="bulk"``, GET
/v1/contacts) as fast as the limiter lets them for ``--seconds`` (default 60), each through its
own ``LexwareClient`` with a ``RedisRateLimiter`` on the local Redis (portal defaults: 1.9/s,
burst 2, jitter allowance 0.25 s, a unique key prefix per run); meanwhile an interactive caller (``lane="interactive"``,
GET /v1/profile) calls every 3 s and records its total latency and, separately, the time it
waited for the limiter's permit.

Figures come from the simulator's request log (arrival time and status of every request of
the run's key): achieved successful requests/second over the run window, 429 count, plus the
interactive p50/p95 wait. Targets: >= 1.9 req/s, zero 429s, interactive p95 wait <= 1 s.

    .venv/bin/python -m benchmarks.ratelimit [--seconds 60] [--processes 4]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import threading
import time
import uuid
from typing import Any

from benchmarks._common import (
    emit,
    load_average,
    log,
    percentile,
    simulator_log,
    start_simulator,
    status_counts,
)
from lexware import LexwareClient
from lexware.errors import LexwareError
from lexware.ratelimit import (
    DEFAULT_BURST,
    DEFAULT_JITTER,
    DEFAULT_RATE,
    DEFAULT_RESERVE,
    RedisRateLimiter,
    key_fingerprint,
)

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
INTERACTIVE_PERIOD = 3.0
SIM_RATE, SIM_BURST = 2.0, 2.0


class TimedLimiter:
    """Delegates to the shared limiter and remembers how long the last acquire blocked."""

    def __init__(self, inner: RedisRateLimiter) -> None:
        self.inner = inner
        self.waited = 0.0

    def acquire(
        self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
    ) -> None:
        began = time.perf_counter()
        try:
            self.inner.acquire(key_id, lane=lane, timeout=timeout)
        finally:
            self.waited += time.perf_counter() - began


def _client(
    base_url: str, api_key: str, prefix: str, lane: str
) -> tuple[LexwareClient, TimedLimiter]:
    limiter = TimedLimiter(
        RedisRateLimiter.from_url(
            REDIS_URL, rate=DEFAULT_RATE, burst=DEFAULT_BURST, jitter=DEFAULT_JITTER, prefix=prefix
        )
    )
    return LexwareClient(api_key, base_url=base_url, limiter=limiter, lane=lane), limiter


def bulk_worker(
    base_url: str, api_key: str, prefix: str, start_at: float, end_at: float, results: Any
) -> None:
    """One worker process: bulk calls back to back until end_at (bounded by count as well)."""
    client, _ = _client(base_url, api_key, prefix, "bulk")
    ok = errors = 0
    max_calls = int((end_at - start_at) * SIM_RATE) + 10  # can never be exceeded at 2/s
    time.sleep(max(0.0, start_at - time.time()))
    try:
        for _ in range(max_calls):
            if time.time() >= end_at:
                break
            try:
                client.contacts.list(page=0, size=25)
                ok += 1
            except LexwareError as exc:
                errors += 1
                log(f"bulk call failed: {type(exc).__name__}: {exc}")
    finally:
        client.close()
        results.put({"pid": os.getpid(), "ok": ok, "errors": errors})


def interactive_caller(
    base_url: str,
    api_key: str,
    prefix: str,
    start_at: float,
    end_at: float,
    samples: list[dict[str, float]],
) -> None:
    client, limiter = _client(base_url, api_key, prefix, "interactive")
    # Offset from the bulk start so that interactive calls land at arbitrary bucket phases.
    next_call = start_at + 1.3
    try:
        while next_call < end_at - 0.5:
            time.sleep(max(0.0, next_call - time.time()))
            limiter.waited = 0.0
            began = time.perf_counter()
            try:
                client.profile.get()
                failed = 0.0
            except LexwareError as exc:
                failed = 1.0
                log(f"interactive call failed: {type(exc).__name__}: {exc}")
            total = time.perf_counter() - began
            samples.append(
                {
                    "total": total,
                    "limiter_wait": limiter.waited,
                    "server_and_network": total - limiter.waited,
                    "failed": failed,
                }
            )
            next_call += INTERACTIVE_PERIOD
    finally:
        client.close()


def simulator_bucket_margin(arrivals: list[float]) -> float | None:
    """Replays the simulator's bucket (SIM_RATE/s, SIM_BURST) over the logged arrival times and
    returns the fewest tokens any request found (>= 1 means admitted; the excess over 1 is the
    margin left for network jitter). Arrival stamps are wall-clock, the simulator's monotonic."""
    if not arrivals:
        return None
    tokens, last, lowest = SIM_BURST, arrivals[0], SIM_BURST
    for stamp in sorted(arrivals):
        tokens = min(SIM_BURST, tokens + (stamp - last) * SIM_RATE)
        last = stamp
        lowest = min(lowest, tokens)
        tokens -= 1.0 if tokens >= 1.0 else 0.0
    return round(lowest, 3)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def run(seconds: float, processes: int) -> dict[str, Any]:
    import redis

    redis_client = redis.Redis.from_url(REDIS_URL)
    redis_client.ping()
    run_id = uuid.uuid4().hex[:12]
    api_key = f"bench-ratelimit-{run_id}"
    prefix = f"bench:ratelimit:{run_id}:"
    fingerprint = key_fingerprint(api_key)
    server = start_simulator("--seed", "demo", "--rate", str(SIM_RATE), "--burst", str(SIM_BURST))
    workers: list[multiprocessing.process.BaseProcess] = []
    try:
        # Seed the organisation now (control call: no rate limit) so seeding is not timed.
        server.control("POST", "seed", json={"apiKey": api_key, "mode": "demo"})
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        start_at = time.time() + 2.0  # lets every process get ready before the clock starts
        end_at = start_at + seconds
        for _ in range(processes):
            process = context.Process(
                target=bulk_worker, args=(server.url, api_key, prefix, start_at, end_at, results)
            )
            process.start()
            workers.append(process)
        samples: list[dict[str, float]] = []
        interactive = threading.Thread(
            target=interactive_caller,
            args=(server.url, api_key, prefix, start_at, end_at, samples),
            daemon=True,
        )
        interactive.start()
        log(f"{processes} bulk processes + 1 interactive caller for {seconds:.0f} s")
        interactive.join(timeout=seconds + 60)
        worker_results = [results.get(timeout=seconds + 60) for _ in workers]
        for process in workers:
            process.join(timeout=30)
        time.sleep(0.5)
        entries = simulator_log(server, fingerprint=fingerprint, since=start_at - 1.0)
    finally:
        for process in workers:
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
        server.stop()
        redis_client.delete(*redis_client.keys(f"{prefix}*") or [f"{prefix}none"])

    in_window = [e for e in entries if start_at <= e["timestamp"] <= end_at]
    ok_in_window = [e for e in in_window if 200 <= e["status"] < 300]
    all_ok = sorted(e["timestamp"] for e in entries if 200 <= e["status"] < 300)
    rate_limited = [e for e in entries if e["status"] == 429]
    waits = [s["limiter_wait"] for s in samples]
    totals = [s["total"] for s in samples]
    achieved = len(ok_in_window) / seconds
    p95_wait = percentile(waits, 0.95)
    return {
        "benchmark": "ratelimit",
        "seconds": seconds,
        "processes": processes,
        "simulator": {"rate": SIM_RATE, "burst": SIM_BURST, "served": "http"},
        "limiter": {
            "store": "redis",
            "rate": DEFAULT_RATE,
            "burst": DEFAULT_BURST,
            "reserve": DEFAULT_RESERVE,
            "jitter_seconds": DEFAULT_JITTER,
            "capacity": round(DEFAULT_BURST - DEFAULT_RATE * DEFAULT_JITTER, 3),
        },
        "achieved_rps": round(achieved, 3),
        "achieved_rps_definition": "2xx requests of the run's key logged by the simulator with arrival in "
        "[start, start+seconds], divided by seconds",
        "limiter_ceiling_rps": round(
            (DEFAULT_BURST - DEFAULT_RATE * DEFAULT_JITTER + DEFAULT_RATE * seconds) / seconds, 3
        ),
        "sustained_rps_first_to_last": round((len(all_ok) - 1) / (all_ok[-1] - all_ok[0]), 3)
        if len(all_ok) > 1
        else None,
        "simulator_requests": len(entries),
        "simulator_status_counts": status_counts(entries),
        "rate_limited_429": len(rate_limited),
        "simulator_bucket_min_tokens_at_arrival": simulator_bucket_margin(
            [e["timestamp"] for e in entries if e["status"] != 0]
        ),
        "bulk_calls_ok": sum(r["ok"] for r in worker_results),
        "bulk_calls_failed": sum(r["errors"] for r in worker_results),
        "bulk_calls_per_process": [r["ok"] for r in worker_results],
        "interactive_calls": len(samples),
        "interactive_failed": int(sum(s["failed"] for s in samples)),
        "interactive_limiter_wait_ms": {
            "p50": _ms(percentile(waits, 0.5)),
            "p95": _ms(p95_wait),
            "max": _ms(max(waits) if waits else None),
        },
        "interactive_total_latency_ms": {
            "p50": _ms(percentile(totals, 0.5)),
            "p95": _ms(percentile(totals, 0.95)),
            "max": _ms(max(totals) if totals else None),
        },
        "targets_met": {
            "rps_at_least_1.9": achieved >= 1.9,
            "zero_429": not rate_limited,
            "interactive_p95_wait_at_most_1s": p95_wait is not None and p95_wait <= 1.0,
        },
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=4)
    args = parser.parse_args()
    if not 1 <= args.seconds <= 3600 or not 1 <= args.processes <= 32:
        parser.error("--seconds must be 1..3600 and --processes 1..32")
    emit(run(args.seconds, args.processes))


if __name__ == "__main__":
    main()
