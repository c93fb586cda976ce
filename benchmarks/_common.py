"""Helpers shared by the benchmarks: logging to stderr, one JSON line on stdout, percentiles,
the simulator served over HTTP (tests.reliability.rig), its request log, scratch databases.

Every process a benchmark starts is stopped by its handle in a ``finally``; all traffic stays
on 127.0.0.1.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from tests.reliability.rig import ROOT, SimulatorServer, free_port, wait_until

__all__ = [
    "PG_ADMIN",
    "ROOT",
    "SimulatorServer",
    "cpu_seconds",
    "create_scratch_db",
    "drop_scratch_db",
    "emit",
    "free_port",
    "interpreter",
    "load_average",
    "log",
    "percentile",
    "postgres_backend_cpu",
    "production_env",
    "read_server_times",
    "simulator_log",
    "spare_redis_db",
    "start_simulator",
    "status_counts",
    "unique_name",
    "wait_until",
]

PG_ADMIN = ["-h", "127.0.0.1", "-U", "postgres"]
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


def emit(figures: dict[str, Any]) -> None:
    """The benchmark's result: exactly one JSON line on stdout."""
    print(json.dumps(figures, sort_keys=False), flush=True)


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def interpreter() -> dict[str, Any]:
    """Which Python ran the benchmark, and how fast it runs plain Python on this machine today
    (a loop of 10 million additions, best of three): figures from machines or builds that differ
    in this are not comparable. Builds without profile-guided optimization run it about 1.6x
    slower (the Makefile's PYTHON)."""

    def loop() -> float:
        began = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        return time.perf_counter() - began

    return {
        "version": sys.version.split()[0],
        "executable": os.path.realpath(sys.executable),
        "loop_10m_additions_s": round(min(loop() for _ in range(3)), 3),
    }


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """Nearest-rank percentile (fraction 0..1); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """user + system CPU seconds of each process and its descendants, by pid."""
    import psutil

    seconds: dict[int, float] = {}
    for pid in pids:
        try:
            root = psutil.Process(pid)
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in family:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            seconds[process.pid] = times.user + times.system
    return seconds


def postgres_backend_cpu(connection: Any) -> Callable[[], float]:
    """Starts measuring the CPU of the PostgreSQL backends serving `connection`'s database (a
    Django connection; its own backend excluded). Each call of the function returned samples the
    backends connected at that moment and returns their user + system seconds since the start.
    A backend's CPU after its last sample is missed (Celery closes a task's connection at its
    end): call it often; the figure is a lower bound. Runs as root or postgres on the DB host."""
    import psutil

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = int(cursor.fetchone()[0])
    postmaster = psutil.Process(own).parent().pid
    before = cpu_seconds([postmaster])
    last: dict[int, float] = {}

    def sample() -> float:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s",
                [own],
            )
            ours = {int(row[0]) for row in cursor.fetchall()}
        now = cpu_seconds([postmaster])
        last.update({pid: now[pid] - before.get(pid, 0.0) for pid in ours if pid in now})
        return sum(last.values())

    return sample


def start_simulator(*args: str) -> SimulatorServer:
    """`python -m lexware.simulator` on a free port (rig defaults: seed empty, no callback probes),
    with `args` appended (argparse: the last --seed/--rate wins)."""
    server = SimulatorServer(extra_args=list(args)).start()
    log(
        f"simulator on {server.url} (pid {server.process.pid if server.process else '?'}) {' '.join(args)}"
    )
    return server


def simulator_log(
    server: SimulatorServer, *, fingerprint: str, since: float | None = None
) -> list[dict[str, Any]]:
    """The simulator's request log for one key (entries carry the arrival `timestamp`, epoch s)."""
    params: dict[str, Any] = {"key": fingerprint}
    if since is not None:
        params["since"] = since
    data = server.control("GET", "requests", params=params)
    entries: list[dict[str, Any]] = data["requests"] if isinstance(data, dict) else data
    return entries


def status_counts(entries: Iterable[dict[str, Any]]) -> dict[str, int]:
    return {
        str(status): count
        for status, count in sorted(Counter(e["status"] for e in entries).items())
    }


def create_scratch_db(name: str) -> str:
    """A fresh PostgreSQL database; returns its DATABASE_URL."""
    subprocess.run(["createdb", *PG_ADMIN, name], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_scratch_db(name: str) -> None:
    result = subprocess.run(
        ["dropdb", *PG_ADMIN, "--if-exists", "--force", name], capture_output=True, text=True
    )
    if result.returncode != 0:
        log(f"dropdb {name} failed: {result.stderr.strip()}")


REDIS_HOST_URL = os.environ.get("BENCH_REDIS_HOST_URL", "redis://127.0.0.1:6379")


def spare_redis_db() -> tuple[str, Callable[[], None]]:
    """An empty database number (15 down to 8) of the local Redis, claimed with a marker key so
    that two benchmark runs never share one; returns its URL and a function that empties it."""
    import redis

    marker = f"bench:owner:{uuid.uuid4().hex}"
    if chosen := os.environ.get("BENCH_REDIS_URL"):  # a database number given to this run
        client = redis.Redis.from_url(chosen)
        client.flushdb()
        log(f"using the given Redis database {chosen}")
        return chosen, lambda: None if client.flushdb() else None
    for number in range(15, 7, -1):
        url = f"{REDIS_HOST_URL}/{number}"
        client = redis.Redis.from_url(url)
        if client.dbsize() == 0 and client.set("bench:owner", marker, nx=True, ex=86_400):

            def release(client: Any = client) -> None:
                # Only this run wrote here (the database was empty and is marked as ours).
                if client.get("bench:owner") == marker.encode():
                    for key in client.scan_iter(count=1000):
                        client.delete(key)

            log(f"using spare Redis database {url}")
            return url, release
    raise RuntimeError("no empty Redis database among 8..15")


def production_env(
    *, database_url: str, redis_url: str, simulator_url: str, **extra: str
) -> dict[str, str]:
    """Environment for `portal.settings` as production runs it (DEBUG off, generated secrets),
    minus TLS (plain http on loopback): for the benchmark process and the ones it starts."""
    import secrets

    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PORTAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        LEXWARE_BASE_URL=simulator_url,
        LEXWARE_LIMITER="redis",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def start_gunicorn(
    env: dict[str, str],
    *,
    port: int,
    workers: int,
    threads: int = 4,
    output: Any = None,
    access_log: str | None = None,
) -> subprocess.Popen[bytes]:
    """gunicorn with the image's settings (portal/gunicorn_conf.py) on 127.0.0.1:`port`;
    `output` takes its log (default: discarded). `access_log` names a file for the access log
    as SERVER_TIME_FORMAT lines (read_server_times)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:portal.gunicorn_conf",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            access_log or "/dev/null",
            *(["--access-logformat", SERVER_TIME_FORMAT] if access_log else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=output if output is not None else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output is not None else subprocess.DEVNULL,
    )


# Path, status and gunicorn's own request time in microseconds: from the request read to the
# response written, without the client's or the network's share.
SERVER_TIME_FORMAT = "%(U)s %(s)s %(D)s"


def read_server_times(path: str, start: int, end: int) -> list[float]:
    """Server times in seconds of the access-log lines between byte offsets start and end."""
    with open(path, "rb") as log_file:
        log_file.seek(start)
        lines = log_file.read(end - start).decode().split("\n")
    # The last piece is empty or a line still being written.
    return [int(line.rsplit(" ", 1)[1]) / 1_000_000 for line in lines[:-1] if line.strip()]


def connected_organization(
    *,
    name: str,
    slug: str,
    api_key: str,
    organization: dict[str, Any] | None = None,
    **connection: Any,
) -> Any:
    """An organization connected with `api_key` (status ok), as the connection page leaves it;
    after django.setup(). Extra fields go to the organization or to its connection."""
    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

    made = Organization.objects.create(name=name, slug=slug, **(organization or {}))
    LexwareConnection.objects.create(
        organization=made,
        encrypted_api_key=crypto.encrypt(api_key),
        key_last_four=api_key[-4:],
        key_fingerprint=key_fingerprint(api_key),
        status=ConnectionStatus.OK,
        **connection,
    )
    return made
