"""Bulk PDF export benchmark (issue 12 item 6): a ZIP of --files invoice PDFs none of which is
fetched yet, against the simulator at Lexware's real 2 requests/second. How many Lexware calls
does a file cost, how many files per second, and does the worker's memory stay flat?

Setup, all on 127.0.0.1:
* the simulator over HTTP with its real limit (2/s, burst 2), seeded `scale` (finalized invoices);
* a scratch PostgreSQL database (created, migrated, dropped), a spare Redis database as broker
  and limiter store; a real Celery worker as production runs it (`--pool threads
  --concurrency 8`) on `portal.settings` from the environment;
* this process reads the voucherlist (a few calls, before the measured window) into the mirror
  as a sync with details leaves it (version known, details fresh), picks --files finalized
  invoices, and starts one export exactly as the list page's "export" button does. The worker
  fetches every PDF through `document.files_fetch` (bulk lane, the shared limiter), then zips.

Figures: from the simulator's request log for the run's key after the export started:
calls, `calls_per_file`, `files_per_s` between the first and the last call and end to end
(export created → ZIP ready), 429s; the worker's `peak_rss_mb` and its RSS after the first
and the last fifth of the files (flat = not growing with the files); the ZIP checked: every
file once, each a PDF. Targets: calls/file ≤ 1.02, files/s ≥ 1.9, memory flat (last-fifth
RSS ≤ first-fifth + 20 MB).

    .venv/bin/python -m benchmarks.export [--files 500] [--timeout 900]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
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


def _fill_mirror(organization: Any, api_key: str, base_url: str, files: int) -> list[Any]:
    """The voucherlist into the mirror, as a full sync with details leaves it."""
    from django.utils import timezone

    from lexware import LexwareClient
    from portal.documents.mirror import upsert_document_from_list_row
    from portal.documents.models import Document

    with LexwareClient(api_key, base_url=base_url) as client:
        page, chosen = 0, list[Document]()
        while len(chosen) < files:
            rows = client.voucherlist.list(
                voucher_type="invoice", voucher_status=["open", "paid"], page=page, size=250
            )
            for item in rows.content:
                row = item.model_dump(by_alias=True, mode="json")
                chosen.append(upsert_document_from_list_row(organization=organization, row=row))
            if rows.last:
                break
            page += 1
    now = timezone.now()
    ids = [d.pk for d in chosen[:files]]
    # The seed's invoices are version 1; a sync with details would have read that.
    Document.objects.filter(pk__in=ids).update(
        version=1, details_synced_at=now, details_updated_at=now, lexware_updated_at=now
    )
    return list(Document.objects.filter(pk__in=ids).order_by("pk"))


def _check_zip(storage_name: str) -> tuple[int, int, bool]:
    from portal.files.storage import document_storage

    with document_storage().open(storage_name, "rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        all_pdf = all(archive.read(n)[:4] == b"%PDF" for n in names)
    return len(names), len(set(names)), all_pdf


def run(files: int, timeout: float) -> dict[str, Any]:
    from tests.reliability.rig import Worker

    db_name = unique_name("bench_export")
    api_key = f"bench-export-{uuid.uuid4().hex}"
    server = start_simulator("--rate", "2", "--burst", "2")
    worker: Worker | None = None
    sampler: RssSampler | None = None
    redis_url, release_redis = spare_redis_db()
    created_db = False
    rss_marks: dict[str, float] = {}
    try:
        seed_size = int(files * 2.4) + 50  # half sales, ~93 % of them finalized
        server.control(
            "POST",
            "seed",
            json={"apiKey": api_key, "mode": "scale", "size": seed_size, "contacts": 50},
        )
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
        log("migrated the scratch database")
        worker = Worker(env=env, concurrency=8, pool="threads").start()
        assert worker.process is not None
        sampler = RssSampler(worker.process.pid)
        sampler.start()

        import django

        django.setup()
        from django.db import connections

        from lexware import key_fingerprint
        from portal.files.exports import document_export_create
        from portal.files.models import DocumentExport, DocumentFile, ExportState

        organization = connected_organization(
            name="Export Benchmark GmbH", slug="ex-bench", api_key=api_key
        )
        documents = _fill_mirror(organization, api_key, server.url, files)
        if len(documents) < files:
            raise RuntimeError(f"the seed has only {len(documents)} finalized invoices")
        log(f"mirror holds {len(documents)} invoices without files; starting the export")
        time.sleep(1.0)
        rss_idle = sampler.peak
        since = time.time()
        began = time.monotonic()
        export = document_export_create(organization=organization, user=None, documents=documents)
        deadline = time.monotonic() + timeout
        last_log = 0.0
        while time.monotonic() < deadline:
            export.refresh_from_db()
            stored = DocumentFile.objects.filter(organization=organization).count()
            current = (sampler.samples[-1] if sampler.samples else 0) / 2**20
            if stored >= files // 5 and "first_fifth" not in rss_marks:
                rss_marks["first_fifth"] = current
            if stored >= files * 4 // 5 and "last_fifth" not in rss_marks:
                rss_marks["last_fifth"] = current
            if not export.is_active:
                break
            if time.monotonic() - last_log > 10:
                log(f"{export.state}: {stored} PDFs stored, {export.added} zipped")
                last_log = time.monotonic()
            time.sleep(0.5)
        end_to_end = time.monotonic() - began
        export.refresh_from_db()
        zipped = (
            _check_zip(export.storage_name) if export.state == ExportState.DONE else (0, 0, False)
        )
        time.sleep(1.0)
        entries = simulator_log(server, fingerprint=key_fingerprint(api_key), since=since - 0.5)
        done_state = export.state
        DocumentExport.objects.all().delete()
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
    calls_per_file = calls / files
    files_per_s = files / window if window else None
    peak_mb = sampler.peak / 2**20 if sampler else None
    growth = (
        rss_marks["last_fifth"] - rss_marks["first_fifth"]
        if {"first_fifth", "last_fifth"} <= rss_marks.keys()
        else None
    )
    return {
        "benchmark": "export",
        "files": files,
        "portal_side": "real Celery worker (--pool threads --concurrency 8) with portal.settings from "
        "the environment, scratch PostgreSQL database, Redis broker and Redis limiter (defaults)",
        "simulator": {"served": "http", "rate": LEXWARE_RATE, "burst": 2.0},
        "export_state": done_state,
        "zip_entries": zipped[0],
        "zip_unique_entries": zipped[1],
        "zip_all_pdf": zipped[2],
        "lexware_calls": calls,
        "calls_per_file": round(calls_per_file, 4),
        "calls_window_seconds": None if window is None else round(window, 1),
        "files_per_s": None if files_per_s is None else round(files_per_s, 3),
        "files_per_s_end_to_end": round(files / end_to_end, 3),
        "end_to_end_seconds": round(end_to_end, 1),
        "rate_limited_429": rate_limited,
        "peak_rss_mb": None if peak_mb is None else round(peak_mb, 1),
        "idle_rss_mb": None if not rss_idle else round(rss_idle / 2**20, 1),
        "rss_mb_at_first_fifth": round(rss_marks.get("first_fifth", 0.0), 1),
        "rss_mb_at_last_fifth": round(rss_marks.get("last_fifth", 0.0), 1),
        "simulator_status_counts": status_counts(entries),
        "targets_met": {
            "calls_per_file_at_most_1.02": calls_per_file <= 1.02,
            "files_per_s_at_least_1.9": files_per_s is not None and files_per_s >= 1.9,
            "memory_flat": growth is not None and growth <= 20.0,
            "zip_has_every_file_once": zipped[0] == zipped[1] == files and zipped[2],
        },
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    if not 10 <= args.files <= 5000 or not 10 <= args.timeout <= 7200:
        parser.error("--files 10..5000, --timeout 10..7200")
    emit(run(args.files, args.timeout))


if __name__ == "__main__":
    main()
