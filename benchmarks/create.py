"""Create benchmark (issue 11 item 8): how long from "Finalize" to the numbered invoice in the
mirror, with nothing else running and while a full sync keeps the bulk lane busy; how many
Lexware calls an invoice costs; whether anything hits Lexware's 2 requests/second limit.

Setup, all on 127.0.0.1:
* the simulator served over HTTP with its real limit (2/s, burst 2); the run's key is seeded
  with ``mode=scale`` (--vouchers vouchers, --contacts contacts) so that a full sync of it
  lasts longer than the second phase;
* a scratch PostgreSQL database (created, migrated, dropped at the end), a spare Redis database
  as broker and limiter store (the limiter with its defaults: 1.95/s, burst 2, reserve 0.5 for
  interactive calls);
* a real Celery worker as production runs it (``--pool threads --concurrency 8``) on the
  production settings module ``portal.settings`` configured by environment,
  SYNC_FULL_INCLUDES_DETAILS=false (the sync's voucherlist pages fill the bulk lane);
* this process builds each invoice as the editor does (``DocumentForm`` bound to the posted
  fields, ``to_lexware()``: three lines at 19 % and 7 %, a line discount, a one-time address)
  and submits it with ``services.document_create(finalize=True)``, as "Finalize" does; then it
  waits (polling the database every 20 ms) until the mirror holds the document with its
  Lexware number. One invoice at a time (a user does not submit the next before seeing the
  last), --invoices per phase, --pause seconds apart (a user looking at the result; 0 makes
  it a throughput test, where two calls per invoice at 1.95/s alone take about 1 s).

Phases: (a) idle: only the invoices; (b) under sync: ``sync_start`` first, the invoices once the
sync's voucherlist part has made its first calls; the sync must still be running when the last
invoice is visible (``sync_running_throughout``).

Figures: submit → numbered document visible in the mirror, p50/p95/max per phase; from the
simulator's request log for the run's key: calls per invoice (idle: every call of the phase;
under sync: the calls on /v1/invoices, which the sync does not make with details off), 429s
over the whole run, calls by lane-free path. Targets: p95 ≤ 1.5 s idle, ≤ 2.5 s under the sync,
≤ 2 calls per invoice, zero 429s.

This module sets up and reports; one phase's invoices, their timing and step breakdown are in
`benchmarks/create_phase.py`.

    .venv/bin/python -m benchmarks.create [--invoices 20] [--vouchers 60000] [--contacts 500] [--pause 1.0]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from typing import Any

from benchmarks._common import (
    ROOT,
    connected_organization,
    create_scratch_db,
    drop_scratch_db,
    emit,
    load_average,
    log,
    production_env,
    simulator_log,
    spare_redis_db,
    start_simulator,
    status_counts,
    unique_name,
)
from benchmarks.create_phase import run_phase, slowest, split_read_back, stats

TARGETS = {"idle_p95_s": 1.5, "under_sync_p95_s": 2.5, "calls_per_document": 2.0}


def run(
    invoices: int, vouchers: int, contacts: int, timeout: float, pause: float
) -> dict[str, Any]:
    from tests.reliability.rig import Worker

    db_name = unique_name("bench_create")
    api_key = f"bench-create-{uuid.uuid4().hex}"
    server = start_simulator("--rate", "2", "--burst", "2")
    worker: Worker | None = None
    redis_url, release_redis = spare_redis_db()
    created_db = False
    try:
        import httpx

        # The control call of the rig waits 10 s; seeding tens of thousands of vouchers on a
        # loaded machine may take longer.
        response = httpx.post(
            f"{server.url}/_simulator/seed",
            json={"apiKey": api_key, "mode": "scale", "size": vouchers, "contacts": contacts},
            timeout=300,
        )
        response.raise_for_status()
        seeded = response.json()
        log(f"seeded {seeded}")
        database_url = create_scratch_db(db_name)
        created_db = True
        env = production_env(
            database_url=database_url,
            redis_url=redis_url,
            simulator_url=server.url,
            SYNC_FULL_INCLUDES_DETAILS="false",
            PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
        )
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        log("migrated the scratch database")
        worker = Worker(env=env, concurrency=8, pool="threads").start()

        import django

        django.setup()
        from django.db import connections

        from lexware import key_fingerprint
        from portal.sync.services import sync_in_progress, sync_start

        organization = connected_organization(
            name="Create Benchmark GmbH",
            slug="cr-bench",
            api_key=api_key,
            lexware_organization_id=seeded.get("organizationId"),
        )
        fingerprint = key_fingerprint(api_key)
        run_since = time.time()
        # A first invoice warms the worker (imports, connections); not counted.
        run_phase(organization, 1, "warm-up", timeout)
        time.sleep(1.0)  # the bucket refills
        idle = run_phase(organization, invoices, "idle", timeout, pause)
        time.sleep(1.0)

        sync_since = time.time()
        sync_start(organization=organization)
        log("full sync started")

        def voucherlist_calls() -> int:
            log_entries = simulator_log(server, fingerprint=fingerprint, since=sync_since)
            return sum(1 for e in log_entries if e["path"].startswith("/v1/voucherlist"))

        wait_deadline = time.monotonic() + 120
        while voucherlist_calls() < 3 and time.monotonic() < wait_deadline:
            time.sleep(0.2)
        log(f"the sync's voucherlist part is under way ({voucherlist_calls()} calls)")
        under = run_phase(organization, invoices, "under sync", timeout, pause)
        sync_running = sync_in_progress(organization=organization)
        time.sleep(1.0)
        entries = simulator_log(server, fingerprint=fingerprint, since=run_since - 1)
        connections.close_all()
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        release_redis()
        if created_db:
            drop_scratch_db(db_name)

    def within(phase: dict[str, Any]) -> list[dict[str, Any]]:
        return [e for e in entries if phase["since"] <= e["timestamp"] <= phase["until"] + 0.5]

    split_read_back(idle["steps"] + under["steps"], entries)
    idle_calls = within(idle)
    under_calls = [e for e in within(under) if e["path"].startswith("/v1/invoices")]
    idle_done, under_done = len(idle["seconds"]), len(under["seconds"])
    idle_cpd = len(idle_calls) / idle_done if idle_done else None
    under_cpd = len(under_calls) / under_done if under_done else None
    calls_per_document = max(v for v in (idle_cpd, under_cpd, 0.0) if v is not None)
    rate_limited = sum(1 for e in entries if e["status"] == 429)
    # What the simulator saw in the second before each 429 (its bucket: 2/s, burst 2).
    ordered = sorted(entries, key=lambda e: e["timestamp"])
    rate_limited_context = [
        [
            {"dt": round(p["timestamp"] - e["timestamp"], 3), "path": p["path"][:40]}
            for p in ordered
            if e["timestamp"] - 1.0 <= p["timestamp"] <= e["timestamp"]
        ]
        for e in ordered
        if e["status"] == 429
    ]
    idle_stats, under_stats = stats(idle["seconds"]), stats(under["seconds"])
    idle_p95, under_p95 = idle_stats["p95_s"], under_stats["p95_s"]
    return {
        "benchmark": "create",
        "invoices_per_phase": invoices,
        "pause_between_invoices_s": pause,
        "portal_side": "services.document_create(finalize=True) with the editor's DocumentForm; "
        "a real Celery worker (--pool threads --concurrency 8) with portal.settings from the "
        "environment, scratch PostgreSQL database, Redis broker and Redis limiter (defaults)",
        "simulator": {"served": "http", "rate": 2.0, "burst": 2.0, "seed": seeded},
        "measured": "submit (the service call) → the document with its voucher number in the "
        "mirror (polled every 20 ms)",
        "idle_p50_s": idle_stats["p50_s"],
        "idle_p95_s": idle_p95,
        "idle_max_s": idle_stats["max_s"],
        "under_sync_p50_s": under_stats["p50_s"],
        "under_sync_p95_s": under_p95,
        "under_sync_max_s": under_stats["max_s"],
        "sync_running_throughout": sync_running,
        "slowest_idle": slowest(idle),
        "slowest_under_sync": slowest(under),
        "calls_per_document": None if not (idle_done or under_done) else calls_per_document,
        "calls_per_document_idle": None if idle_cpd is None else round(idle_cpd, 3),
        "calls_per_document_under_sync": None if under_cpd is None else round(under_cpd, 3),
        "rate_limited_429": rate_limited,
        "rate_limited_context": rate_limited_context,
        "failed": idle["failures"] + under["failures"],
        "idle_calls_by_method": dict(Counter(e["method"] for e in idle_calls)),
        "simulator_status_counts": status_counts(entries),
        "targets_met": {
            "idle_p95_at_most_1.5_s": idle_p95 is not None and idle_p95 <= TARGETS["idle_p95_s"],
            "under_sync_p95_at_most_2.5_s": under_p95 is not None
            and under_p95 <= TARGETS["under_sync_p95_s"],
            "calls_per_document_at_most_2": calls_per_document <= TARGETS["calls_per_document"],
            "zero_429": rate_limited == 0,
            "all_visible": idle_done == invoices and under_done == invoices,
        },
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoices", type=int, default=20, help="invoices per phase")
    parser.add_argument("--vouchers", type=int, default=60000, help="vouchers the sync reads")
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=60.0, help="longest wait per invoice")
    parser.add_argument(
        "--pause", type=float, default=1.0, help="seconds between one invoice and the next"
    )
    args = parser.parse_args()
    if not 1 <= args.invoices <= 500 or not 1000 <= args.vouchers <= 200_000:
        parser.error("--invoices 1..500, --vouchers 1000..200000")
    emit(run(args.invoices, args.vouchers, args.contacts, args.timeout, args.pause))


if __name__ == "__main__":
    main()
