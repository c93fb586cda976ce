"""Full-sync benchmark (issue 5 item 7): how many Lexware calls does a full sync of a
100,000-voucher organization cost, next to the least it could cost, and does it stay under the
2 requests/second limit?

Setup, all on 127.0.0.1:
* the simulator served over HTTP with its real limit (2/s, burst 2); the run's key is seeded
  with ``mode=scale, size=--vouchers, contacts=--contacts`` (control call, not rate limited);
* a scratch PostgreSQL database (created, migrated, dropped at the end);
* a real Celery worker (tests.reliability.rig.Worker, prefork, concurrency 1) on the production
  settings module ``portal.settings`` configured by environment: Redis broker and Redis rate
  limiter on a spare Redis database, LEXWARE_BASE_URL = the simulator,
  SYNC_FULL_INCLUDES_DETAILS=false (the one-GET-per-document part is background work: 100,000
  calls = 14 h at 2/s, so it is not part of this measurement);
* this process creates the organization and its connection and calls ``sync_start``; the
  sync then runs as chained ``sync.step`` operations in the worker.

Figures: the calls of the run's key in the simulator's request log, against the minimum
``sum over lists of max(1, ceil(items / 250)) + 5`` (voucherlist, contacts, articles, recurring
templates at the 250-row page size the engine uses, at least one call per list to learn that
it ends; plus 4 reference lists and the profile), their ratio, the wall time, 429s, and whether
the mirror holds as many documents as the simulator's voucherlist, and the cost of writing a row.
Targets (issue 18): calls <= 1.05 x minimum, zero 429s, wall time <= 1.05 x what the limiter
alone needs for those calls (computed in the same run), <= 0.2 ms per row written.

    .venv/bin/python -m benchmarks.sync [--vouchers 100000] [--contacts 2000] [--timeout 900]
"""

from __future__ import annotations

import argparse
import math
import os
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
    percentile,
    production_env,
    simulator_log,
    spare_redis_db,
    start_simulator,
    status_counts,
    unique_name,
)

PAGE = 250
REFERENCE_CALLS = 5  # countries, payment conditions, posting categories, print layouts, profile


def _pages(items: int) -> int:
    return max(1, math.ceil(items / PAGE))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def run(vouchers: int, contacts: int, timeout: float) -> dict[str, Any]:
    import subprocess
    import sys

    from tests.reliability.rig import Worker

    db_name = unique_name("bench_sync")
    api_key = f"bench-sync-{uuid.uuid4().hex}"
    server = start_simulator("--rate", "2", "--burst", "2")
    worker: Worker | None = None
    redis_url, release_redis = spare_redis_db()
    created_db = False
    try:
        began = time.monotonic()
        seeded = server.control(
            "POST",
            "seed",
            json={"apiKey": api_key, "mode": "scale", "size": vouchers, "contacts": contacts},
        )
        log(f"seeded {seeded} in {time.monotonic() - began:.1f} s")
        database_url = create_scratch_db(db_name)
        created_db = True
        env = production_env(
            database_url=database_url,
            redis_url=redis_url,
            simulator_url=server.url,
            SYNC_FULL_INCLUDES_DETAILS="false",
            PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
        )
        os.environ.update(
            {k: v for k, v in env.items() if k not in os.environ or os.environ[k] != v}
        )
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        log("migrated the scratch database")
        worker = Worker(env=env, concurrency=1).start()
        log(f"celery worker pid {worker.process.pid if worker.process else '?'}")

        import django

        django.setup()
        from lexware import key_fingerprint
        from portal.documents.models import Document
        from portal.operations.models import Operation, OperationState
        from portal.sync.models import SyncPart
        from portal.sync.services import sync_start

        organization = connected_organization(
            name="Sync Benchmark GmbH",
            slug="sync-bench",
            api_key=api_key,
            lexware_organization_id=seeded["organizationId"],
        )
        since = time.time()
        started = time.monotonic()
        from django.utils import timezone

        started_at = timezone.now()
        sync_start(organization=organization)
        log("full sync started")
        voucherlist: SyncPart | None = None
        deadline = started + timeout
        while time.monotonic() < deadline:
            voucherlist = SyncPart.objects.filter(
                organization=organization, name=SyncPart.Name.VOUCHERLIST
            ).first()
            failed = Operation.objects.filter(
                organization=organization, state=OperationState.FAILED
            ).first()
            if failed is not None:
                raise RuntimeError(f"operation {failed.kind} failed: {failed.error_message}")
            if voucherlist is not None and voucherlist.status == SyncPart.Status.DONE:
                break
            if voucherlist is not None and voucherlist.done:
                log(f"voucherlist {voucherlist.done} rows, {voucherlist.api_calls} calls")
            time.sleep(5)
        # From the start to the moment the worker finished the voucherlist part (its own
        # timestamp), not to this loop's next look: the 5 s polling would count as sync time.
        wall = (
            (voucherlist.finished_at - started_at).total_seconds()
            if voucherlist is not None and voucherlist.finished_at
            else time.monotonic() - started
        )
        done = voucherlist is not None and voucherlist.status == SyncPart.Status.DONE
        time.sleep(1.0)
        entries = simulator_log(server, fingerprint=key_fingerprint(api_key), since=since - 1)
        parts = {
            p.name: {
                "status": p.status,
                "rows": p.done,
                "api_calls": p.api_calls,
                "write_seconds": round(p.write_seconds, 3),
                "seconds": round((p.finished_at - p.started_at).total_seconds(), 1)
                if p.finished_at and p.started_at
                else None,
            }
            for p in SyncPart.objects.filter(organization=organization)
        }
        write_ms_per_row = (
            1000 * voucherlist.write_seconds / voucherlist.done
            if voucherlist is not None and voucherlist.done
            else None
        )
        mirror_documents = Document.objects.filter(organization=organization).count()
        from portal.articles.models import Article
        from portal.contacts.models import Contact
        from portal.documents.models import RecurringTemplate

        mirror_contacts = Contact.objects.filter(organization=organization).count()
        mirror_articles = Article.objects.filter(organization=organization).count()
        mirror_recurring = RecurringTemplate.objects.filter(organization=organization).count()
        operations = Operation.objects.filter(organization=organization).count()
        from django.db import connections

        connections.close_all()
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
        release_redis()
        if created_db:
            drop_scratch_db(db_name)

    # The scale seed makes invoices and bookkeeping vouchers only (no dunnings), so every voucher
    # it reports appears in the voucherlist.
    simulator_voucherlist = int(seeded["vouchers"]) + int(seeded["salesVouchers"])
    api_calls = [e for e in entries if e["status"] != 429]
    minimum_parts = {
        "voucherlist": _pages(simulator_voucherlist),
        "contacts": _pages(int(seeded["contacts"])),
        "articles": _pages(int(seeded["articles"])),
        "recurring_templates": _pages(mirror_recurring),
        "reference": REFERENCE_CALLS,
    }
    minimum = sum(minimum_parts.values())
    ratio = len(entries) / minimum
    rate_limited = sum(1 for e in entries if e["status"] == 429)
    by_path = Counter(e["path"] for e in entries)
    listed = sorted(e["timestamp"] for e in entries if e["path"] == "/v1/voucherlist")
    gaps = [later - earlier for earlier, later in zip(listed, listed[1:], strict=False)]
    from lexware.ratelimit import DEFAULT_BURST, DEFAULT_RATE

    rate = float(os.environ.get("LEXWARE_RATE_PER_SECOND") or DEFAULT_RATE)
    burst = float(os.environ.get("LEXWARE_BURST") or DEFAULT_BURST)
    api_bound = len(entries) / rate
    wall_ratio = wall / api_bound if api_bound else None
    return {
        "benchmark": "sync",
        "portal_side": "real Celery worker (prefork, concurrency 1) with portal.settings from the environment, "
        f"scratch PostgreSQL database, Redis broker and Redis limiter ({rate}/s, burst {burst:g})",
        "simulator": {
            "served": "http",
            "rate": 2.0,
            "burst": 2.0,
            "vouchers": simulator_voucherlist,
            "contacts": seeded["contacts"],
            "articles": seeded["articles"],
            "recurring_templates_mirrored": mirror_recurring,
        },
        "details_part": "excluded (SYNC_FULL_INCLUDES_DETAILS=false)",
        "voucherlist_done": done,
        "wall_seconds": round(wall, 1),
        "api_calls": len(entries),
        "api_calls_not_429": len(api_calls),
        "minimum_calls": minimum,
        "minimum_calls_parts": minimum_parts,
        "minimum_definition": "sum over voucherlist, contacts, articles, recurring templates of "
        "max(1, ceil(items/250)) (250-row pages; one call even for an empty list) "
        "+ 5 reference calls (4 reference lists + profile)",
        "calls_ratio": round(ratio, 4),
        "rate_limited_429": rate_limited,
        "achieved_rps": round(len(entries) / wall, 3) if wall else None,
        "wall_seconds_if_api_bound": round(api_bound, 1),
        "wall_ratio_to_api_bound": _round(wall_ratio),
        "write_ms_per_row": _round(write_ms_per_row),
        "write_definition": "voucherlist rows written per page in one INSERT … ON CONFLICT, timed in the worker "
        "(SyncPart.write_seconds / rows); requests overlap with writing",
        "voucherlist_call_gap_seconds": {
            "p50": _round(percentile(gaps, 0.5)),
            "p95": _round(percentile(gaps, 0.95)),
            "limiter_spacing": round(1 / rate, 3),
            "note": "gaps above the spacing are time the next request was not yet waiting",
        },
        "simulator_status_counts": status_counts(entries),
        "calls_by_path": dict(by_path.most_common()),
        "parts": parts,
        "operations": operations,
        "mirror": {
            "documents": mirror_documents,
            "contacts": mirror_contacts,
            "articles": mirror_articles,
        },
        "mirror_documents_equal_simulator_voucherlist": mirror_documents == simulator_voucherlist,
        "targets_met": {
            "calls_at_most_1.05x_minimum": ratio <= 1.05,
            "wall_at_most_1.05x_api_bound": wall_ratio is not None and wall_ratio <= 1.05,
            "write_ms_per_row_at_most_0.2": write_ms_per_row is not None
            and write_ms_per_row <= 0.2,
            "zero_429": rate_limited == 0,
            "mirror_complete": mirror_documents == simulator_voucherlist,
        },
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vouchers", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="longest wait for the voucherlist part (s)"
    )
    args = parser.parse_args()
    if (
        not 1 <= args.vouchers <= 500_000
        or not 1 <= args.contacts <= 10_000
        or not 10 <= args.timeout <= 7200
    ):
        parser.error(
            "--vouchers 1..500000, --contacts 1..10000 (the contacts search window), --timeout 10..7200"
        )
    emit(run(args.vouchers, args.contacts, args.timeout))


if __name__ == "__main__":
    main()
