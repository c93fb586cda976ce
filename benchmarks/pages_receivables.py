"""The receivables pass of ``benchmarks.pages`` (issue 14 item 5): the receivables page and its
streamed CSV export over the same gunicorn and 100,000-document mirror as the list pages.

* Page: --clients threads, each asking every --interval s (people clicking) for the receivables
  page: the full page and the page filtered by its largest debtor (htmx, as the filter form
  asks), in turn. ``receivables_p95_ms`` is their p95 (the target: <= 100 ms). The bucket lists
  are measured in-process by ``benchmarks.receivables``.
* Export: the CSV of all open invoices (the one export that grows with the mirror; streamed
  from a server-side cursor), --export-clients clients each downloading it every
  --export-interval s while the page clients keep clicking: time to the first byte, time to
  the last, bytes. A streamed export answers at once: its first byte does not wait for the
  whole file.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import defaultdict
from typing import Any

import httpx

from benchmarks._common import log, percentile

HTMX = {"HX-Request": "true"}
PAGES = ("receivables", "receivables_customer_htmx")


def request_mix(
    slug: str, top_debtor: str
) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    overview = f"/o/{slug}/receivables/"
    return [
        ("receivables", overview, {}, {}),
        ("receivables_customer_htmx", overview, {"contact": top_debtor}, HTMX),
    ]


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def _export_loop(
    base_url: str,
    cookies: httpx.Cookies,
    path: str,
    deadline: float,
    interval: float,
    out: dict[str, list[float]],
) -> None:
    next_at = time.monotonic() + random.uniform(0, interval)
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=120) as client:
        while True:
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            if time.monotonic() >= deadline:
                return
            began = time.perf_counter()
            first: float | None = None
            size = 0
            try:
                with client.stream(
                    "GET", path, params={"table": "invoices", "format": "csv"}
                ) as answer:
                    if answer.status_code != 200:
                        out["errors"].append(1.0)
                        continue
                    for chunk in answer.iter_bytes():
                        if first is None:
                            first = time.perf_counter() - began
                        size += len(chunk)
            except httpx.HTTPError:
                out["errors"].append(1.0)
                continue
            out["first_byte"].append(first or 0.0)
            out["total"].append(time.perf_counter() - began)
            out["bytes"].append(float(size))


def receivables_pass(
    base_url: str,
    cookies: httpx.Cookies,
    *,
    slug: str,
    top_debtor: str,
    clients: int,
    seconds: float,
    interval: float,
    export_clients: int,
    export_interval: float,
) -> dict[str, Any]:
    mix = request_mix(slug, top_debtor)
    with httpx.Client(base_url=base_url, cookies=cookies, timeout=60) as client:
        for name, path, params, headers in mix * 2:  # warm-up, not measured
            if client.get(path, params=params, headers=headers).status_code != 200:
                raise RuntimeError(f"{name} failed during warm-up")
    lock = threading.Lock()
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + seconds

    def page_client(offset: int) -> None:
        next_at = time.monotonic() + random.uniform(0, interval)
        with httpx.Client(base_url=base_url, cookies=cookies, timeout=30) as http:
            for step in itertools.count(offset):
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += interval
                if time.monotonic() >= deadline:
                    return
                name, path, params, headers = mix[step % len(mix)]
                began = time.perf_counter()
                try:
                    ok = http.get(path, params=params, headers=headers).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - began
                with lock:
                    if ok:
                        timings[name].append(elapsed)
                    else:
                        errors[name] += 1

    exports: dict[str, list[float]] = defaultdict(list)
    threads = [threading.Thread(target=page_client, args=(i,), daemon=True) for i in range(clients)]
    threads += [
        threading.Thread(
            target=_export_loop,
            args=(
                base_url,
                cookies,
                f"/o/{slug}/receivables/export/",
                deadline,
                export_interval,
                exports,
            ),
            daemon=True,
        )
        for _ in range(export_clients)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    elapsed = time.monotonic() - began
    page_samples = [value for name in PAGES for value in timings[name]]
    result: dict[str, Any] = {
        "clients": clients,
        "offered": f"{clients / interval:.0f} req/s (one request per client every {interval:g} s)",
        "seconds": round(elapsed, 1),
        "page_requests": len(page_samples),
        "errors": sum(errors.values()) + len(exports["errors"]),
        "page_p50_ms": _ms(percentile(page_samples, 0.5)),
        "page_p95_ms": _ms(percentile(page_samples, 0.95)),
        "page_p99_ms": _ms(percentile(page_samples, 0.99)),
        "by_page": {
            name: {
                "requests": len(values),
                "p50_ms": _ms(percentile(values, 0.5)),
                "p95_ms": _ms(percentile(values, 0.95)),
            }
            for name, values in sorted(timings.items())
        },
        "export_csv_open_invoices": {
            "clients": export_clients,
            "offered": f"one download per client every {export_interval:g} s",
            "downloads": len(exports["total"]),
            "bytes": int(max(exports["bytes"], default=0)),
            "first_byte_p50_ms": _ms(percentile(exports["first_byte"], 0.5)),
            "first_byte_p95_ms": _ms(percentile(exports["first_byte"], 0.95)),
            "total_p50_ms": _ms(percentile(exports["total"], 0.5)),
            "total_p95_ms": _ms(percentile(exports["total"], 0.95)),
            "streamed": True,
        },
    }
    log(f"receivables pass: {result}")
    return result
