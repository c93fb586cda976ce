"""Receipt upload benchmark (issue 13 item 6): 200 receipts of 100 KB dropped at once, against
Lexware's real limit of 2 requests/second, each ending as an unchecked voucher in the mirror.
How fast, how many calls per upload (target ≤ 2: the upload and the read-back after OCR),
what share of the limit is used (target ≥ 95 %), no 429, and the worker's memory.

Setup, all on 127.0.0.1 (as benchmarks.imports): the simulator over HTTP at 2/s, burst 2,
OCR delay 3 s; a scratch PostgreSQL database and a spare Redis database; a real Celery worker
(``--pool threads --concurrency 8``) on ``portal.settings``. This process stores the receipts
and starts their uploads through ``receipt_upload``, exactly as the drop zone does.

    .venv/bin/python -m benchmarks.receipts [--files 200] [--size-kb 100] [--timeout 1200]
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
from benchmarks.imports import RssSampler

LEXWARE_RATE = 2.0


def _pdf(i: int, size: int) -> bytes:
    head = f"%PDF-1.4\n% Benchmark-Beleg {i:05d}\n".encode()
    filler = (f"{i:05d}" * (size // 5 + 1)).encode()[: max(0, size - len(head) - 6)]
    return head + filler + b"\n%%EOF"


def run(files: int, size_kb: int, timeout: float) -> dict[str, Any]:
    from tests.reliability.rig import Worker

    db_name = unique_name("bench_receipts")
    api_key = f"bench-receipts-{uuid.uuid4().hex}"
    server = start_simulator("--rate", "2", "--burst", "2", "--ocr-delay", "3")
    worker: Worker | None = None
    sampler: RssSampler | None = None
    redis_url, release_redis = spare_redis_db()
    created_db = False
    done = 0
    try:
        server.control("POST", "seed", json={"apiKey": api_key, "mode": "empty"})
        database_url = create_scratch_db(db_name)
        created_db = True
        env = production_env(
            database_url=database_url,
            redis_url=redis_url,
            simulator_url=server.url,
            PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
        )
        os.environ.update(env)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        worker = Worker(env=env, concurrency=8, pool="threads").start()
        assert worker.process is not None
        sampler = RssSampler(worker.process.pid)
        sampler.start()

        import django

        django.setup()
        from django.db import connections

        from lexware import key_fingerprint
        from portal.bookkeeping.models import Receipt
        from portal.bookkeeping.services import receipt_upload
        from portal.documents.models import Document

        organization = connected_organization(
            name="Beleg Benchmark GmbH", slug="rc-bench", api_key=api_key
        )
        time.sleep(1.0)
        rss_idle = sampler.peak
        since = time.time()
        began = time.monotonic()
        for i in range(files):
            receipt_upload(
                organization=organization,
                user=None,
                filename=f"beleg-{i:05d}.pdf",
                media_type="application/pdf",
                content=_pdf(i, size_kb * 1024),
            )
        log(f"stored {files} receipts in {time.monotonic() - began:.1f} s")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ids = list(
                Receipt.objects.filter(organization=organization)
                .exclude(voucher_id=None)
                .values_list("voucher_id", flat=True)
            )
            done = Document.objects.filter(
                organization=organization, lexware_id__in=ids, status="unchecked"
            ).count()
            log(f"{len(ids)} uploaded, {done} in the mirror as unchecked")
            if done >= files:
                break
            time.sleep(10)
        total_s = time.monotonic() - began
        time.sleep(1.0)
        entries = simulator_log(server, fingerprint=key_fingerprint(api_key), since=since - 1)
        connections.close_all()
    finally:
        if sampler is not None:
            sampler.stopped.set()
        if worker is not None:
            worker.stop()
        server.stop()
        release_redis()
        if created_db:
            drop_scratch_db(db_name)

    stamps = sorted(e["timestamp"] for e in entries)
    window = (stamps[-1] - stamps[0]) if len(stamps) > 1 else None
    calls = len(entries)
    rate_limited = sum(1 for e in entries if e["status"] == 429)
    calls_per_s = calls / window if window else None
    limit_use = calls_per_s / LEXWARE_RATE if calls_per_s else None
    calls_per_upload = calls / files
    peak_mb = sampler.peak / 2**20 if sampler else None
    return {
        "benchmark": "receipts",
        "files": files,
        "file_kib": size_kb,
        "portal_side": "real Celery worker (--pool threads --concurrency 8) with portal.settings from "
        "the environment, scratch PostgreSQL database, Redis broker and Redis limiter (defaults)",
        "simulator": {"served": "http", "rate": LEXWARE_RATE, "burst": 2.0, "ocr_delay_s": 3},
        "vouchers_in_mirror": done,
        "total_seconds": round(total_s, 1),
        "calls_window_seconds": None if window is None else round(window, 1),
        "uploads_per_s": round(files / window, 3) if window else None,
        "uploads_per_s_end_to_end": round(done / total_s, 3) if total_s else None,
        "api_calls": calls,
        "calls_per_upload": round(calls_per_upload, 3),
        "calls_per_s": None if calls_per_s is None else round(calls_per_s, 3),
        "limit_use_ratio": None if limit_use is None else round(limit_use, 4),
        "limit_use_definition": "calls per second between the first and the last call of the run's "
        "key in the simulator's log / 2.0 (Lexware's limit)",
        "rate_limited_429": rate_limited,
        "peak_rss_mb": None if peak_mb is None else round(peak_mb, 1),
        "idle_rss_mb": None if not rss_idle else round(rss_idle / 2**20, 1),
        "simulator_status_counts": status_counts(entries),
        "calls_by_method": dict(Counter(e["method"] for e in entries)),
        "targets_met": {
            "calls_per_upload_at_most_2.0": calls_per_upload <= 2.0,
            "limit_use_ratio_at_least_0.95": limit_use is not None and limit_use >= 0.95,
            "zero_429": rate_limited == 0,
            "all_in_mirror": done == files,
        },
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=1200.0)
    args = parser.parse_args()
    if not 1 <= args.files <= 2000 or not 1 <= args.size_kb <= 5000:
        parser.error("--files 1..2000, --size-kb 1..5000")
    emit(run(args.files, args.size_kb, args.timeout))


if __name__ == "__main__":
    main()
