"""Many organizations at once (issue 18 item 3): does the portal's throughput grow with the
number of organizations, each bound only by its own key's 2 requests/second?

Setup, all on 127.0.0.1:
* ONE simulator served over HTTP with its real limit (``--rate 2 --burst 2``, per key); each
  organization has its own key, seeded with ``mode=scale, size=--vouchers, contacts=--contacts``
  (control calls, not rate limited): its own Lexware organization with its own budget;
* one scratch PostgreSQL database (created, migrated, dropped at the end) for all of them;
* ``--processes`` worker processes on ``portal.settings`` configured by environment (Redis
  broker + Redis limiter on a spare Redis database, SYNC_FULL_INCLUDES_DETAILS=false):
  ``--pool threads`` (default, as production runs it): that many Celery workers, each
  ``--pool threads --concurrency --threads``; ``--pool prefork`` (the former setup,
  docker-compose's ``--concurrency 2``): one Celery worker with that many pool children;
* ``sync_start`` for every organization back to back: all full syncs start at t0 and run as
  chained ``sync.step`` operations on the bulk lane.

Figures (calls from the simulator's request log, per key; rate = the per-key rate the limiter
allows, LEXWARE_RATE_PER_SECOND, default lexware.ratelimit.DEFAULT_RATE = 1.95/s):
* an organization's wall time: t0 to its last logged call (its sync has used its budget then;
  writing the last page follows); ``sync_seconds`` is t0 until the poll saw its voucherlist
  part done;
* ``org_limit_use_ratio`` (per organization): its calls / (rate x its wall time): the share of
  its own budget it used from t0 until it was done. ``min_org_limit_use_ratio`` is the lowest;
  ``org_active_ratio`` is the same over its first to last call (for comparison only);
* the common window: t0 to the last call of any organization; ``aggregate_calls_per_s`` = all
  calls / the window; ``aggregate_limit_use_ratio`` = that / (orgs x rate);
* ``cpu_s_per_call``: user + system CPU seconds of the worker processes (Celery main
  processes and their pool children, psutil, sampled at t0 and when the last sync is done) /
  all calls; the simulator's and the PostgreSQL backends' CPU separately (same machine);
* calls per organization against its minimum (as benchmarks.sync), 429s, and whether every
  mirror holds as many documents as its simulator voucherlist.
Targets (issue 18): aggregate_limit_use_ratio >= 0.90, every organization >= 0.80, zero 429s.

    .venv/bin/python -m benchmarks.tenants [--orgs 10] [--vouchers 10000] [--contacts 50]
        [--processes 2] [--pool threads|prefork] [--threads 8] [--timeout 900]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from benchmarks._common import (
    ROOT,
    cpu_seconds,
    create_scratch_db,
    drop_scratch_db,
    emit,
    load_average,
    log,
    postgres_backend_cpu,
    production_env,
    simulator_log,
    spare_redis_db,
    start_simulator,
    status_counts,
    unique_name,
)
from benchmarks.sync import REFERENCE_CALLS, _pages


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _gaps(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Where an organization's budget went unused: time between two of its calls beyond the
    limiter's spacing (1/rate), in total and the three longest gaps with the paths around them."""
    from lexware.ratelimit import DEFAULT_RATE

    spacing = 1 / float(os.environ.get("LEXWARE_RATE_PER_SECOND") or DEFAULT_RATE)
    calls = sorted(entries, key=lambda e: e["timestamp"])
    gaps = [
        (b["timestamp"] - a["timestamp"], a["path"], b["path"])
        for a, b in zip(calls, calls[1:], strict=False)
    ]
    longest = sorted(gaps, reverse=True)[:3]
    return {
        "idle_beyond_spacing_s": _r(sum(max(0.0, gap - spacing) for gap, _, _ in gaps), 2),
        "longest_gaps": [f"{gap:.2f}s {a}->{b}" for gap, a, b in longest],
    }


def _start_workers(env: dict[str, str], *, pool: str, processes: int, threads: int) -> list[Any]:
    from tests.reliability.rig import Worker

    if pool == "prefork":  # one Celery worker whose `processes` pool children run one task each
        shapes = [("prefork", processes, "bench-prefork")]
    else:  # `processes` Celery workers, `threads` threads each
        shapes = [("threads", threads, f"bench-threads-{i}") for i in range(processes)]
    suffix = uuid.uuid4().hex[:6]
    return [
        Worker(env=env, concurrency=n, pool=p, name=f"{name}-{suffix}@%h").start()
        for p, n, name in shapes
    ]


def run(
    orgs: int, vouchers: int, contacts: int, processes: int, pool: str, threads: int, timeout: float
) -> dict[str, Any]:
    db_name = unique_name("bench_tenants")
    keys = [f"bench-tenants-{i}-{uuid.uuid4().hex}" for i in range(orgs)]
    server = start_simulator("--rate", "2", "--burst", "2")
    workers: list[Any] = []
    redis_url, release_redis = spare_redis_db()
    created_db = False
    try:
        began = time.monotonic()
        seeded = [
            server.control(
                "POST",
                "seed",
                json={"apiKey": key, "mode": "scale", "size": vouchers, "contacts": contacts},
            )
            for key in keys
        ]
        log(f"seeded {orgs} keys in {time.monotonic() - began:.1f} s: {seeded[0]}")
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
        workers = _start_workers(env, pool=pool, processes=processes, threads=threads)
        worker_pids = [w.process.pid for w in workers if w.process is not None]
        log(f"celery workers ({pool}) pids {worker_pids}")

        import django

        django.setup()
        from lexware import key_fingerprint
        from portal.core import crypto
        from portal.documents.models import Document
        from portal.operations.models import Operation, OperationState
        from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization
        from portal.sync.models import SyncPart
        from portal.sync.services import sync_start

        organizations = []
        for i, (key, seed) in enumerate(zip(keys, seeded, strict=True)):
            organization = Organization.objects.create(name=f"Mandant {i} GmbH", slug=f"tenant-{i}")
            LexwareConnection.objects.create(
                organization=organization,
                encrypted_api_key=crypto.encrypt(key),
                key_last_four=key[-4:],
                key_fingerprint=key_fingerprint(key),
                status=ConnectionStatus.OK,
                lexware_organization_id=seed["organizationId"],
            )
            organizations.append(organization)
        time.sleep(2.0)  # let the limiter buckets and the workers settle before t0
        import psutil

        simulator_process = psutil.Process(server.process.pid) if server.process else None
        sim_cpu_0 = sum(simulator_process.cpu_times()[:2]) if simulator_process else 0.0
        cpu_0 = cpu_seconds(worker_pids)
        from django.db import connection

        postgres_cpu = postgres_backend_cpu(connection)
        t0 = time.time()
        started = time.monotonic()
        for organization in organizations:
            sync_start(organization=organization)
        log(f"{orgs} full syncs started")
        done_at: dict[int, float] = {}
        deadline = started + timeout
        cpu_1 = cpu_0
        while time.monotonic() < deadline and len(done_at) < orgs:
            cpu_1 = cpu_seconds(worker_pids)  # the last sample before the workers go idle
            postgres_cpu()
            for part in SyncPart.objects.filter(
                name=SyncPart.Name.VOUCHERLIST, status=SyncPart.Status.DONE
            ):
                done_at.setdefault(part.organization_id, time.monotonic() - started)
            time.sleep(0.5)
        cpu_1 = cpu_seconds(worker_pids)
        pg_cpu = postgres_cpu()
        sim_cpu_1 = sum(simulator_process.cpu_times()[:2]) if simulator_process else 0.0
        timed_out = len(done_at) < orgs
        load = load_average()
        log(
            f"{len(done_at)}/{orgs} syncs done after {time.monotonic() - started:.1f} s; load {load}"
        )
        time.sleep(1.0)
        per_org = []
        for organization, key, seed in zip(organizations, keys, seeded, strict=True):
            entries = simulator_log(server, fingerprint=key_fingerprint(key), since=t0 - 1)
            simulator_voucherlist = int(seed["vouchers"]) + int(seed["salesVouchers"])
            mirror = Document.objects.filter(organization=organization).count()
            from portal.documents.models import RecurringTemplate

            recurring = RecurringTemplate.objects.filter(organization=organization).count()
            minimum = (
                _pages(simulator_voucherlist)
                + _pages(int(seed["contacts"]))
                + _pages(int(seed["articles"]))
                + _pages(recurring)
                + REFERENCE_CALLS
            )
            stamps = sorted(e["timestamp"] for e in entries)
            per_org.append(
                {
                    "org": organization.slug,
                    "calls": len(entries),
                    "minimum_calls": minimum,
                    "rate_limited_429": sum(1 for e in entries if e["status"] == 429),
                    "statuses": status_counts(entries),
                    "first_call_s": _r(stamps[0] - t0, 2) if stamps else None,
                    "wall_seconds": _r(stamps[-1] - t0, 2) if stamps else None,
                    "sync_seconds": _r(done_at.get(organization.pk), 1),
                    "active_seconds": _r(stamps[-1] - stamps[0], 2) if len(stamps) > 1 else None,
                    **_gaps(entries),
                    "mirror_documents": mirror,
                    "simulator_voucherlist": simulator_voucherlist,
                    "failed_operations": Operation.objects.filter(
                        organization=organization, state=OperationState.FAILED
                    ).count(),
                    "operations": Operation.objects.filter(organization=organization).count(),
                }
            )
        from django.db import connections

        connections.close_all()
    finally:
        for worker in workers:
            worker.stop()
        server.stop()
        release_redis()
        if created_db:
            drop_scratch_db(db_name)
    return _figures(
        per_org,
        orgs=orgs,
        vouchers=vouchers,
        processes=processes,
        pool=pool,
        threads=threads,
        cpu=(cpu_0, cpu_1),
        other_cpu={"simulator": sim_cpu_1 - sim_cpu_0, "postgres": pg_cpu},
        timed_out=timed_out,
        load=load,
    )


def _figures(
    per_org: list[dict[str, Any]],
    *,
    orgs: int,
    vouchers: int,
    processes: int,
    pool: str,
    threads: int,
    cpu: tuple[dict[int, float], dict[int, float]],
    other_cpu: dict[str, float],
    timed_out: bool,
    load: list[float],
) -> dict[str, Any]:
    from lexware.ratelimit import DEFAULT_BURST, DEFAULT_RATE

    rate = float(os.environ.get("LEXWARE_RATE_PER_SECOND") or DEFAULT_RATE)
    burst = float(os.environ.get("LEXWARE_BURST") or DEFAULT_BURST)
    for org in per_org:
        wall, active = org["wall_seconds"], org["active_seconds"]
        org["org_limit_use_ratio"] = _r(org["calls"] / (rate * wall)) if wall else None
        org["org_active_ratio"] = _r((org["calls"] - 1) / (rate * active)) if active else None
        org["calls_ratio"] = _r(org["calls"] / org["minimum_calls"])
        org["mirror_complete"] = org["mirror_documents"] == org["simulator_voucherlist"]
    calls = sum(org["calls"] for org in per_org)
    rate_limited = sum(org["rate_limited_429"] for org in per_org)
    window = max((org["wall_seconds"] or 0.0) for org in per_org)
    aggregate = calls / window if window else 0.0
    aggregate_ratio = aggregate / (orgs * rate)
    org_ratios = [org["org_limit_use_ratio"] or 0.0 for org in per_org]
    cpu_0, cpu_1 = cpu
    worker_cpu = sum(cpu_1.get(pid, 0.0) - cpu_0.get(pid, 0.0) for pid in cpu_1)
    mirrors_complete = all(org["mirror_complete"] for org in per_org)
    minimum = sum(org["minimum_calls"] for org in per_org)
    shape = (
        f"{processes} Celery workers, each --pool threads --concurrency {threads}"
        if pool == "threads"
        else f"1 Celery worker, --pool prefork --concurrency {processes}"
    )
    return {
        "benchmark": "tenants",
        "portal_side": f"{shape}; portal.settings from the environment, one scratch PostgreSQL database, "
        f"Redis broker and Redis limiter ({rate}/s per key, burst {burst:g})",
        "worker_pool": pool,
        "worker_processes": processes,
        "threads_per_process": threads if pool == "threads" else 1,
        "simulator": {
            "served": "http, one process",
            "rate_per_key": 2.0,
            "burst": 2.0,
            "organizations": orgs,
            "vouchers_per_org": per_org[0]["simulator_voucherlist"] if per_org else vouchers,
        },
        "details_part": "excluded (SYNC_FULL_INCLUDES_DETAILS=false)",
        "all_syncs_done": not timed_out,
        "window_seconds": _r(window, 1),
        "api_calls": calls,
        "minimum_calls": minimum,
        "calls_ratio": _r(calls / minimum) if minimum else None,
        "aggregate_calls_per_s": _r(aggregate),
        "aggregate_budget_calls_per_s": round(orgs * rate, 3),
        "aggregate_limit_use_ratio": _r(aggregate_ratio),
        "min_org_limit_use_ratio": _r(min(org_ratios)) if org_ratios else None,
        "median_org_limit_use_ratio": _r(sorted(org_ratios)[len(org_ratios) // 2])
        if org_ratios
        else None,
        "org_ratio_definition": "calls / (rate x org wall time), org wall time = common start (t0) to the org's "
        "last call; aggregate = all calls / (t0 to the last call of any org) / (orgs x rate)",
        "rate_limited_429": rate_limited,
        "worker_cpu_seconds": _r(worker_cpu, 1),
        "cpu_s_per_call": _r(worker_cpu / calls, 4) if calls else None,
        "worker_cpu_share_of_window": _r(worker_cpu / window) if window else None,
        "simulator_cpu_seconds": _r(other_cpu["simulator"], 1),
        "postgres_cpu_seconds": _r(other_cpu["postgres"], 1),
        "postgres_cpu_s_per_call": _r(other_cpu["postgres"] / calls, 4) if calls else None,
        "postgres_cpu_definition": "backends on the scratch database, sampled every 0.5 s (lower bound)",
        "wall_seconds": {
            "min": min((o["wall_seconds"] or 0.0) for o in per_org),
            "max": _r(window, 2),
            "if_api_bound_per_org": _r(max(o["calls"] for o in per_org) / rate, 1),
        },
        "mirrors_complete": mirrors_complete,
        "per_org": per_org,
        "targets_met": {
            "aggregate_at_least_0.90": aggregate_ratio >= 0.90,
            "every_org_at_least_0.80": bool(org_ratios) and min(org_ratios) >= 0.80,
            "zero_429": rate_limited == 0,
            "mirrors_complete": mirrors_complete,
        },
        "load_average": load,
    }


def main() -> None:
    import signal

    # A SIGTERM (e.g. from `timeout`) unwinds through run()'s finally: processes stop, database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=10)
    parser.add_argument("--vouchers", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=50)
    parser.add_argument(
        "--processes", type=int, default=2, help="worker processes (2 = the issue's setup)"
    )
    parser.add_argument(
        "--pool",
        choices=["threads", "prefork"],
        default="threads",
        help="threads: as production runs the worker; prefork: the former setup",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("CELERY_WORKER_CONCURRENCY") or 8),
        help="threads per worker process with --pool threads",
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="longest wait for all syncs (s)"
    )
    args = parser.parse_args()
    limits = {
        "orgs": (1, 50),
        "vouchers": (1, 100_000),
        "contacts": (1, 10_000),
        "processes": (1, 8),
        "threads": (1, 64),
        "timeout": (10, 7200),
    }
    for name, (low, high) in limits.items():
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be within {low}..{high}")
    emit(run(**vars(args)))  # the options are run()'s parameters


if __name__ == "__main__":
    main()
