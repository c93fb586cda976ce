"""Webhook receiver benchmark (issue 5 §4, reliability.md P3/W6): signed Lexware callbacks
posted to gunicorn with production settings on PostgreSQL, with a Redis broker (no worker:
only the receiver is measured). Every event must be answered 200 within 100 ms.

    .venv/bin/python -m benchmarks.webhooks [--events 500] [--clients 8] [--duplicates 0.1]

Prints one JSON line: latency p50/p95/p99/max, statuses, events stored, refreshes queued.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from typing import Any

import httpx

from benchmarks._common import (
    ROOT,
    create_scratch_db,
    drop_scratch_db,
    emit,
    free_port,
    load_average,
    log,
    percentile,
    production_env,
    spare_redis_db,
    start_gunicorn,
    wait_until,
)

LEXWARE_ORG = "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c"
TARGET_P95_MS = 100.0


def _events(count: int, duplicates: float, rng: random.Random) -> list[bytes]:
    types = [
        "invoice.changed",
        "contact.changed",
        "voucher.changed",
        "invoice.status.changed",
        "article.changed",
    ]
    bodies: list[bytes] = []
    for number in range(count):
        if bodies and rng.random() < duplicates:
            bodies.append(rng.choice(bodies))  # a retried delivery
            continue
        payload = {
            "organizationId": LEXWARE_ORG,
            "eventType": rng.choice(types),
            "resourceId": str(uuid.UUID(int=rng.getrandbits(128))),
            "eventDate": f"2026-11-21T10:{number // 60 % 60:02d}:{number % 60:02d}.000+01:00",
        }
        bodies.append(json.dumps(payload, separators=(",", ":")).encode())
    return bodies


def _prepare(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    import django

    django.setup()
    from django.db import connection

    from portal.core import crypto
    from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

    organization = Organization.objects.create(name="Webhook Benchmark GmbH", slug="hooks-bench")
    LexwareConnection.objects.create(
        organization=organization,
        encrypted_api_key=crypto.encrypt("bench-key-" + uuid.uuid4().hex),
        key_last_four="0000",
        key_fingerprint="0" * 16,
        status=ConnectionStatus.OK,
        lexware_organization_id=LEXWARE_ORG,
    )
    connection.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)  # Lexware's key size
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    bodies = _events(args.events, args.duplicates, random.Random(42))
    signed = [
        (body, base64.b64encode(key.sign(body, padding.PKCS1v15(), hashes.SHA512())).decode())
        for body in bodies
    ]

    db_name = f"bench_hooks_{uuid.uuid4().hex[:10]}"
    redis_url, release_redis = spare_redis_db()
    gunicorn: subprocess.Popen[bytes] | None = None
    created = False
    try:
        env = production_env(
            database_url=create_scratch_db(db_name),
            redis_url=redis_url,
            simulator_url="http://127.0.0.1:9",
            LEXWARE_WEBHOOK_PUBLIC_KEY=public_pem,
            PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
        )
        created = True
        import os

        os.environ.update(env)
        _prepare(env)
        port = free_port()
        gunicorn = start_gunicorn(env, port=port, workers=args.workers)
        url = f"http://127.0.0.1:{port}/hooks/lexware/"
        wait_until(
            lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=60, what="gunicorn"
        )
        # Warm up each worker (imports, first queries) with a few unknown-organization events.
        for _ in range(args.workers * 4):
            body = json.dumps(
                {
                    "organizationId": str(uuid.uuid4()),
                    "eventType": "contact.changed",
                    "resourceId": str(uuid.uuid4()),
                    "eventDate": "x",
                },
                separators=(",", ":"),
            ).encode()
            httpx.post(
                url,
                content=body,
                headers={
                    "X-Lxo-Signature": base64.b64encode(
                        key.sign(body, padding.PKCS1v15(), hashes.SHA512())
                    ).decode(),
                    "Content-Type": "application/json",
                },
            )

        latencies: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()
        queue = list(enumerate(signed))

        def client() -> None:
            with httpx.Client(timeout=10) as session:
                while True:
                    with lock:
                        if not queue:
                            return
                        _, (body, signature) = queue.pop(0)
                    began = time.perf_counter()
                    response = session.post(
                        url,
                        content=body,
                        headers={"X-Lxo-Signature": signature, "Content-Type": "application/json"},
                    )
                    elapsed = time.perf_counter() - began
                    with lock:
                        latencies.append(elapsed)
                        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        began = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        wall = time.monotonic() - began

        from django.db import connection

        from portal.operations.models import Operation
        from portal.sync.models import WebhookEvent

        stored = WebhookEvent.objects.filter(lexware_organization_id=LEXWARE_ORG).count()
        refreshes = Operation.objects.filter(kind="resource.refresh").count()
        connection.close()
        unique = len(set(bodies))
        p95_ms = (percentile(latencies, 0.95) or 0) * 1000
        return {
            "benchmark": "webhooks",
            "events_sent": len(bodies),
            "unique_events": unique,
            "clients": args.clients,
            "gunicorn_workers": args.workers,
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "latency_ms": {
                "p50": round((percentile(latencies, 0.50) or 0) * 1000, 1),
                "p95": round(p95_ms, 1),
                "p99": round((percentile(latencies, 0.99) or 0) * 1000, 1),
                "max": round(max(latencies) * 1000, 1),
            },
            "events_per_second": round(len(bodies) / wall, 1),
            "events_stored": stored,
            "refresh_operations_queued": refreshes,
            "targets": {"p95_ms": TARGET_P95_MS, "all_200": True, "stored_once": True},
            "targets_met": {
                "p95_ms": p95_ms <= TARGET_P95_MS,
                "all_200": set(statuses) == {200},
                "stored_once": stored == unique,
            },
            "load_average": load_average(),
        }
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
        release_redis()
        if created:
            drop_scratch_db(db_name)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duplicates", type=float, default=0.1)
    args = parser.parse_args()
    log(f"posting {args.events} signed webhooks from {args.clients} clients")
    emit(run(args))


if __name__ == "__main__":
    main()
