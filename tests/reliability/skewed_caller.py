"""One Lexware client process for the clock-skew test (reliability.md RL6), run as
`python -m tests.reliability.skewed_caller REDIS_URL BASE_URL API_KEY COUNT`.

Its wall clock is shifted from outside, by libfaketime (LD_PRELOAD + FAKETIME) where installed,
or else by time-machine here when SKEW_SECONDS is set. It says "ready", waits for "go" on stdin
so that both processes call at once, then takes a permit from the Redis limiter before each
call, and finally prints its wall clock and the statuses it got, as JSON."""

from __future__ import annotations

import json
import os
import sys
import time

import httpx

from lexware.ratelimit import RedisRateLimiter, key_fingerprint


def main() -> None:
    redis_url, base_url, api_key, count = sys.argv[1:5]
    if os.environ.get("SKEW_SECONDS"):
        import time_machine

        time_machine.travel(time.time() + float(os.environ["SKEW_SECONDS"]), tick=True).start()
    limiter = RedisRateLimiter.from_url(redis_url)
    fingerprint = key_fingerprint(api_key)
    headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
    statuses = []
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        print("ready", flush=True)
        sys.stdin.readline()
        for _ in range(int(count)):
            limiter.acquire(fingerprint, timeout=30)
            statuses.append(client.get("/v1/contacts", params={"page": 0, "size": 1}).status_code)
    print(json.dumps({"wall_clock": time.time(), "statuses": statuses}), flush=True)


if __name__ == "__main__":
    main()
