"""Customer link benchmark (issue 12 item 6): 50 customers at once open their links and
download the PDFs, served by gunicorn with production settings on PostgreSQL from stored files.
Lexware must not be asked anything during the run.

Setup, all on 127.0.0.1: the simulator over HTTP (only to count calls: its request log for the
organization's key must stay empty), a scratch PostgreSQL database, a Redis database (cache for
the link throttle, broker), ``gunicorn -c python:portal.gunicorn_conf portal.wsgi:application --workers 2 --threads 4`` (the image's settings)
(gthread, DEBUG off, access log off); --documents finalized invoices in the mirror with their
PDFs in storage (small real PDFs made with fpdf2) and one customer link each.

Each of --clients threads (its own cookie jar, like a browser) visits a random link every
--interval seconds (paced, random start): the token URL (302 + link cookie), the token-free page,
the PDF. Latency per kind: p50/p95/p99; errors; Lexware calls. Targets: page p95 ≤ 50 ms,
PDF p95 ≤ 100 ms, zero Lexware calls.

    .venv/bin/python -m benchmarks.sharing [--clients 50] [--seconds 30] [--interval 2] [--documents 200]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from typing import Any

import httpx

from benchmarks._common import (
    ROOT,
    connected_organization,
    create_scratch_db,
    drop_scratch_db,
    emit,
    free_port,
    load_average,
    log,
    percentile,
    production_env,
    simulator_log,
    spare_redis_db,
    start_gunicorn,
    start_simulator,
    wait_until,
)

PAGE_P95_MS, PDF_P95_MS = 50.0, 100.0


def _prepare(env: dict[str, str], api_key: str, documents: int) -> list[str]:
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True
        )
    import django

    django.setup()
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.documents.models import Document
    from portal.files.storage import store_file
    from portal.sharing.services import share_link_create

    organization = connected_organization(
        name="Sharing Benchmark GmbH",
        slug="share-bench",
        api_key=api_key,
        organization={"iban": "DE89370400440532013000"},
        company_name="Sharing Benchmark GmbH",
    )
    owner = User.objects.create_user("owner@share-bench.example", uuid.uuid4().hex)
    tokens = []
    today = timezone.now()
    for number in range(documents):
        voucher_number = f"RE-{number:05d}"
        document = Document.objects.create(
            organization=organization,
            lexware_id=uuid.uuid4(),
            voucher_type="invoice",
            voucher_number=voucher_number,
            status="open",
            version=1,
            voucher_date=today - timedelta(days=3),
            due_date=today + timedelta(days=11),
            contact_name=f"Kunde {number} GmbH",
            total_amount=119 + number,
            open_amount=119 + number,
        )
        pdf = _pdf(voucher_number, document.total_amount)
        store_file(document=document, version=1, kind="pdf", content=pdf)
        _, token = share_link_create(
            organization=organization,
            document=document,
            user=owner,
            expires_at=today + timedelta(days=30),
        )
        tokens.append(token)
    return tokens


def _pdf(number: str, amount: Any) -> bytes:
    """A small real PDF per invoice (fpdf2, core font: no subsetting cost)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, f"Rechnung {number}")
    pdf.ln(12)
    pdf.set_font("helvetica", size=10)
    for line in range(30):
        pdf.cell(0, 6, f"Position {line + 1}: Wartung, 1 Stück, {amount} EUR")
        pdf.ln(6)
    return bytes(pdf.output())


def _visit(
    client: httpx.Client, token: str, timings: dict[str, list[float]], errors: list[str]
) -> None:
    """One customer: the link from the e-mail (302 + cookie), its page, its PDF."""
    page_url = ""
    for kind in ("exchange", "page", "pdf"):
        url = {"exchange": f"/s/{token}/", "page": page_url, "pdf": page_url + "pdf/"}[kind]
        began = time.perf_counter()
        response = client.get(url)
        if kind == "pdf":
            ok = response.status_code == 200 and response.content[:4] == b"%PDF"
        else:
            ok = response.status_code == (302 if kind == "exchange" else 200)
        timings[kind].append(time.perf_counter() - began)
        if not ok:
            errors.append(f"{kind} {response.status_code}")
            return
        if kind == "exchange":
            page_url = response.headers["location"].split("?")[0]


def run(args: argparse.Namespace) -> dict[str, Any]:
    db_name = f"bench_share_{uuid.uuid4().hex[:10]}"
    api_key = f"bench-share-{uuid.uuid4().hex}"
    redis_url, release_redis = spare_redis_db()
    server = start_simulator()
    gunicorn: subprocess.Popen[bytes] | None = None
    created = False
    try:
        server.control("POST", "seed", json={"apiKey": api_key, "mode": "empty"})
        env = production_env(
            database_url=create_scratch_db(db_name),
            redis_url=redis_url,
            simulator_url=server.url,
            PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
            SHARE_LINK_MISSES_PER_IP="100000/m",
            STATIC_ROOT=tempfile.mkdtemp(prefix="bench-static-"),
        )
        created = True
        os.environ.update(env)
        tokens = _prepare(env, api_key, args.documents)
        log(f"{len(tokens)} invoices with stored PDFs and links")
        port = free_port()
        gunicorn = start_gunicorn(env, port=port, workers=args.workers)
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=60, what="gunicorn")
        with httpx.Client(base_url=base, timeout=30) as warm:  # imports and first queries
            for token in tokens[: args.workers * 8]:
                _visit(warm, token, defaultdict(list), [])
        from lexware import key_fingerprint

        since = time.time()
        timings: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds

        def customer(seed: int) -> None:
            rng = random.Random(seed)
            mine: dict[str, list[float]] = defaultdict(list)
            failed: list[str] = []
            with httpx.Client(base_url=base, timeout=30) as client:
                time.sleep(rng.uniform(0, args.interval))
                while time.monotonic() < deadline:
                    began = time.monotonic()
                    client.cookies.clear()  # each visit a fresh browser
                    _visit(client, rng.choice(tokens), mine, failed)
                    time.sleep(max(0.0, args.interval - (time.monotonic() - began)))
            with lock:
                for kind, values in mine.items():
                    timings[kind].extend(values)
                errors.extend(failed)

        threads = [threading.Thread(target=customer, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.5)
        calls = simulator_log(server, fingerprint=key_fingerprint(api_key), since=since - 0.5)
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
        server.stop()
        release_redis()
        if created:
            drop_scratch_db(db_name)

    def ms(kind: str, fraction: float) -> float | None:
        value = percentile(timings[kind], fraction)
        return None if value is None else round(value * 1000, 1)

    page_p95, pdf_p95 = ms("page", 0.95), ms("pdf", 0.95)
    return {
        "benchmark": "sharing",
        "server": f"gunicorn -c python:portal.gunicorn_conf (gthread) --workers {args.workers} --threads 4, DEBUG=false, PostgreSQL",
        "clients": args.clients,
        "seconds": args.seconds,
        "interval_s": args.interval,
        "documents": args.documents,
        "requests": {kind: len(values) for kind, values in timings.items()},
        "latency_ms": {
            kind: {"p50": ms(kind, 0.5), "p95": ms(kind, 0.95), "p99": ms(kind, 0.99)}
            for kind in ("exchange", "page", "pdf")
        },
        "page_p95_ms": page_p95,
        "pdf_p95_ms": pdf_p95,
        "exchange_p95_ms": ms("exchange", 0.95),
        "errors": len(errors),
        "error_samples": errors[:5],
        "lexware_calls": len(calls),
        "targets_met": {
            "page_p95_at_most_50_ms": page_p95 is not None and page_p95 <= PAGE_P95_MS,
            "pdf_p95_at_most_100_ms": pdf_p95 is not None and pdf_p95 <= PDF_P95_MS,
            "zero_lexware_calls": not calls,
            "no_errors": not errors,
        },
        "load_average": load_average(),
    }


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 1 <= args.documents <= 5000:
        parser.error("--clients 1..200, --documents 1..5000")
    emit(run(args))


if __name__ == "__main__":
    main()
