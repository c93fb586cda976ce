"""The client side of ``benchmarks.pages``: logging in through the form, the warm-up, the mirror
passes (threads of httpx clients against gunicorn, paced or in a closed loop) and the
pass-through pass (threads of LexwareClient against the simulator through the Redis limiter),
each summarized the same way (requests, errors, p50/p95/p99/max in ms).
"""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
import uuid
from collections import defaultdict
from typing import Any

import httpx

from benchmarks._common import log, percentile, start_simulator


def summary(samples: list[float], errors: int, seconds: float) -> dict[str, Any]:
    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "requests": len(samples) + errors,
        "errors": errors,
        "requests_per_second": round((len(samples) + errors) / seconds, 2) if seconds else None,
        "p50_ms": ms(percentile(samples, 0.5)),
        "p95_ms": ms(percentile(samples, 0.95)),
        "p99_ms": ms(percentile(samples, 0.99)),
        "max_ms": ms(max(samples) if samples else None),
    }


def login(base_url: str, *, email: str, password: str) -> httpx.Cookies:
    """Log in through the login form; the session cookie the clients then reuse."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        form = client.get("/accounts/login/")
        form.raise_for_status()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        if match is None:
            raise RuntimeError("no CSRF token on the login page")
        answer = client.post(
            "/accounts/login/",
            data={
                "username": email,
                "password": password,
                "csrfmiddlewaretoken": match.group(1),
            },
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login failed with {answer.status_code}")
        return client.cookies


def mirror_pass(
    base_url: str,
    cookies: httpx.Cookies,
    mix: list[Any],
    *,
    clients: int,
    seconds: float,
    max_requests: int,
    interval: float = 0.0,
) -> dict[str, Any]:
    """`clients` threads for `seconds`; interval 0: closed loop (next request as soon as the
    last answered); interval > 0: each client starts a request every `interval` seconds (a
    person clicking), at a random phase, so the offered load is clients / interval per second."""
    lock = threading.Lock()
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    counter = itertools.count()
    deadline = time.monotonic() + seconds

    def client_thread(offset: int) -> None:
        next_at = time.monotonic() + random.uniform(0, interval)
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=10) as client:
            for step in itertools.count(offset):
                if interval:
                    time.sleep(max(0.0, next_at - time.monotonic()))
                    next_at += interval
                if time.monotonic() >= deadline or next(counter) >= max_requests:
                    return
                name, path, params, headers = mix[step % len(mix)]
                began = time.perf_counter()
                try:
                    response = client.get(path, params=params, headers=headers)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - began
                with lock:
                    if ok:
                        timings[name].append(elapsed)
                    else:
                        errors[name] += 1

    began = time.monotonic()
    threads = [
        threading.Thread(target=client_thread, args=(index,), daemon=True)
        for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - began
    everything = [value for values in timings.values() for value in values]
    result = summary(everything, sum(errors.values()), elapsed)
    result["seconds"] = round(elapsed, 1)
    result["clients"] = clients
    result["offered"] = (
        f"{clients / interval:.0f} req/s (one request per client every {interval:g} s)"
        if interval
        else "closed loop: each client sends its next request as soon as the last one answered"
    )
    result["by_page_p95_ms"] = {
        name: round((percentile(values, 0.95) or 0) * 1000, 1)
        for name, values in sorted(timings.items())
    }
    return result


def warm_up(base_url: str, cookies: httpx.Cookies, mix: list[Any]) -> None:
    """Each page twice, not measured: every gunicorn worker pays its imports and first queries."""
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=30) as client:
        for name, path, params, headers in mix * 2:
            response = client.get(path, params=params, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"{name}: {response.status_code} during warm-up")


def passthrough_pass(
    *, clients: int, max_requests: int, seconds: float, redis_url: str
) -> dict[str, Any]:
    """Each request is one voucherlist page from Lexware (the simulator at 2/s, Redis limiter)."""
    from lexware import LexwareClient
    from lexware.errors import LexwareError
    from lexware.ratelimit import DEFAULT_JITTER, RedisRateLimiter

    server = start_simulator("--rate", "2", "--burst", "2")
    api_key = f"bench-pages-{uuid.uuid4().hex}"
    try:
        server.control(
            "POST",
            "seed",
            json={"apiKey": api_key, "mode": "scale", "size": 20_000, "contacts": 500},
        )
        # The portal's limiter settings (1.9/s, burst 2, 0.25 s jitter allowance).
        limiter = RedisRateLimiter.from_url(
            redis_url, jitter=DEFAULT_JITTER, prefix=f"bench:pages:{uuid.uuid4().hex[:8]}:"
        )
        lock = threading.Lock()
        timings: list[float] = []
        errors = 0
        counter = itertools.count()
        deadline = time.monotonic() + seconds

        def client_thread(offset: int) -> None:
            nonlocal errors
            with LexwareClient(
                api_key, base_url=server.url, limiter=limiter, lane="interactive"
            ) as client:
                for step in itertools.count(offset):
                    if time.monotonic() >= deadline or next(counter) >= max_requests:
                        return
                    began = time.perf_counter()
                    try:
                        client.voucherlist.list(
                            voucher_type="any", voucher_status="any", page=step % 40, size=25
                        )
                        ok = True
                    except LexwareError as exc:
                        ok = False
                        log(f"pass-through call failed: {type(exc).__name__}")
                    elapsed = time.perf_counter() - began
                    with lock:
                        if ok:
                            timings.append(elapsed)
                        else:
                            errors += 1

        began = time.monotonic()
        threads = [
            threading.Thread(target=client_thread, args=(index,), daemon=True)
            for index in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 90)
        elapsed = time.monotonic() - began
        rate_limited = sum(1 for e in server.requests(api_key) if e["status"] == 429)
    finally:
        server.stop()
    result = summary(timings, errors, elapsed)
    result.update(
        seconds=round(elapsed, 1),
        rate_limited_429=rate_limited,
        what="one voucherlist page (size 25) from the simulator per request, 2 req/s limit, "
        "Redis limiter; no rendering",
    )
    return result
