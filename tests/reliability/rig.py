"""The reliability rig: a simulator server, real Celery workers and a Redis of our own,
all on loopback, started and stopped by the tests (reliability.md "Test rig")."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    condition: Callable[[], Any],
    *,
    timeout: float,
    interval: float = 0.2,
    what: str | Callable[[], str] = "condition",
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(
        f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}"
    )


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@dataclass
class SimulatorServer:
    """`python -m lexware.simulator` on a free port, with helpers for its control API."""

    extra_args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SimulatorServer:
        self.log_path = Path(tempfile.mkstemp(prefix="simulator-", suffix=".log")[1])
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lexware.simulator",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--seed",
                "empty",
                "--no-probe-callbacks",
                "--allow-http-callbacks",
                "--webhook-time-scale",
                "0.01",
                *self.extra_args,
            ],
            cwd=ROOT,
            stdout=self.log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_until(self._healthy, timeout=30, what="the simulator to start")
        return self

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/_simulator/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)

    def control(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, f"{self.url}/_simulator/{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def api(self, method: str, path: str, api_key: str, **kwargs: Any) -> httpx.Response:
        """A direct call as another client of the same key would make it: it shares the
        simulator's 2/s budget with the workers, so it waits and retries on 429."""
        headers = {
            "Authorization": f"Bearer {api_key}",
            "Accept": "application/json",
            **kwargs.pop("headers", {}),
        }
        for _ in range(20):
            response = httpx.request(
                method, f"{self.url}/v1/{path}", headers=headers, timeout=10, **kwargs
            )
            if response.status_code != 429:
                return response
            time.sleep(0.6)
        return response

    def fault(self, api_key: str, kind: str, **options: Any) -> None:
        self.control("POST", "faults", json={"apiKey": api_key, "kind": kind, **options})

    def requests(self, api_key: str) -> list[dict[str, Any]]:
        data = self.control("GET", "requests", params={"apiKey": api_key})
        entries: list[dict[str, Any]] = data["requests"] if isinstance(data, dict) else data
        return entries

    def public_key(self) -> str:
        return httpx.get(f"{self.url}/_simulator/public-key", timeout=5).text


@dataclass
class RedisServer:
    """A throwaway redis-server that a test may stop, kill and restart."""

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="redis-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise AssertionError("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--protected-mode",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url)
        wait_until(lambda: _ping(client), timeout=15, what="redis-server to start")
        return self

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None:
            _stop(self.process, sig)


def _ping(client: Any) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@dataclass
class Worker:
    """A real `celery worker` process on the test database, broker and simulator; `pool` is
    Celery's pool (prefork, or threads as production runs the worker), `name` its node name
    (needed when several workers run on one host)."""

    env: dict[str, str]
    concurrency: int = 1
    pool: str = "prefork"
    name: str | None = None
    process: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None

    def start(self) -> Worker:
        self.log_path = Path(tempfile.mkstemp(prefix="worker-", suffix=".log")[1])
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel",
                "INFO",
                "--pool",
                self.pool,
                "--concurrency",
                str(self.concurrency),
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                *(["--hostname", self.name] if self.name else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: b"ready." in self.log_path.read_bytes() or self.process.poll() is not None,
            timeout=60,
            what="the Celery worker to start",
        )
        if self.process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{self.log()}")
        return self

    def children(self) -> list[int]:
        import psutil

        if self.process is None:
            return []
        return [child.pid for child in psutil.Process(self.process.pid).children()]

    def kill_child(self) -> None:
        for pid in self.children():
            os.kill(pid, signal.SIGKILL)

    def kill_all(self) -> None:
        """The host dies: SIGKILL the main process and every pool process at once, so
        nothing gets to say goodbye (no worker-offline event, no message requeued)."""
        if self.process is None:
            return
        children = self.children()
        self.process.kill()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is not None:
            _stop(self.process, sig, timeout=20)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path else ""


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory, a free port,
    trust auth on loopback) that a test may stop and restart; the machine's shared server is
    never touched. As root the server runs as the `postgres` user, which owns the directory."""

    port: int = field(default_factory=free_port)
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="pg-rel-")))
    started: bool = False

    @staticmethod
    def bin_dir() -> Path | None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        return versions[-1].parent if versions else None

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        bin_dir = self.bin_dir()
        assert bin_dir is not None
        command = [str(bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(
            command, check=True, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.directory / "data"),
            "-l",
            str(self.directory / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            action,
            *extra,
        )

    def start(self) -> PrivatePostgres:
        if not (self.directory / "data").exists():
            if os.geteuid() == 0:
                shutil.chown(self.directory, "postgres")
            self._run(
                "initdb",
                "-D",
                str(self.directory / "data"),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            )
        self._ctl("start")
        self.started = True
        return self

    def stop(self, mode: str = "fast") -> None:
        if self.started:
            self._ctl("stop", "-m", mode)
            self.started = False

    def restart(self, mode: str = "fast") -> None:
        self._ctl("restart", "-m", mode)
        self.started = True

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def log(self) -> str:
        path = self.directory / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def worker_env(
    *, database_name: str, broker_url: str, simulator_url: str, **extra: str
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings_worker",
        PORTAL_TEST_DATABASE_NAME=database_name,
        CELERY_BROKER_URL=broker_url,
        REDIS_URL=broker_url,
        LEXWARE_BASE_URL=simulator_url,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def reset_producers() -> None:
    """Drop Celery's cached connection and producer pools so the next send uses the
    broker now configured."""
    from kombu import pools

    from portal.celery import app

    pools.reset()  # kombu's global registry would hand back pools bound to the old broker
    app._pool = None
    app.amqp._producer_pool = None
