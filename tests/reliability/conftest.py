from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection as db_connection

from lexware import key_fingerprint
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization
from tests.reliability.rig import RedisServer, SimulatorServer, Worker, reset_producers, worker_env

# Every test here runs real processes against PostgreSQL and Redis.
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def _broker_db() -> int:
    """A Redis database of its own (flushed before and after each test), derived from the
    run's REDIS_URL, so that two runs on one machine with different REDIS_URLs (two worktrees,
    a developer beside CI) never consume or flush each other's queues: /0 → 8, /3 → 11, /9 → 9.
    RELIABILITY_REDIS_DB chooses one explicitly."""
    from urllib.parse import urlsplit

    if os.environ.get("RELIABILITY_REDIS_DB"):
        return int(os.environ["RELIABILITY_REDIS_DB"])
    path = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0").path.strip("/")
    base = int(path) if path.isdigit() else 0
    return 8 + base % 8


BROKER_DB = _broker_db()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/reliability" in str(item.fspath):
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.redis)
            item.add_marker(pytest.mark.xdist_group("reliability"))


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    server = SimulatorServer().start()
    yield server
    server.stop()


@pytest.fixture
def broker_url(_needs_redis: None) -> Iterator[str]:
    """The run's broker database, held by one test at a time: two tests of one run on two
    xdist workers would otherwise flush each other's queues and consume each other's tasks
    (a worker of one test running an operation id of the other's database)."""
    import fcntl
    import tempfile

    import redis

    url = f"redis://127.0.0.1:6379/{BROKER_DB}"
    lock_path = os.path.join(tempfile.gettempdir(), f"reliability-broker-{BROKER_DB}.lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            redis.Redis.from_url(url).flushdb()
            yield url
            redis.Redis.from_url(url).flushdb()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _use_broker(url: str) -> dict[str, Any]:
    from portal.celery import app

    previous = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
        "broker_transport_options": app.conf.broker_transport_options,
    }
    app.conf.update(
        broker_url=url, task_always_eager=False, broker_transport_options={"visibility_timeout": 10}
    )
    reset_producers()
    return previous


@pytest.fixture
def real_broker(broker_url: str, settings: Any) -> Iterator[str]:
    """The test process enqueues to Redis instead of running tasks inline."""
    from portal.celery import app

    previous = _use_broker(broker_url)
    settings.REDIS_URL = broker_url
    yield broker_url
    app.conf.update(previous)
    reset_producers()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(
    transactional_db: None, simulator: SimulatorServer
) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(
        *,
        broker: str,
        concurrency: int = 1,
        pool: str = "prefork",
        name: str | None = None,
        **extra: str,
    ) -> Worker:
        env = worker_env(
            database_name=db_connection.settings_dict["NAME"],
            broker_url=broker,
            simulator_url=simulator.url,
            LEXWARE_WEBHOOK_PUBLIC_KEY=simulator.public_key(),
            **extra,
        )
        worker = Worker(env=env, concurrency=concurrency, pool=pool, name=name).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        if os.environ.get("RELIABILITY_SHOW_LOGS"):
            print(worker.log())


@pytest.fixture
def connected_org(transactional_db: None) -> tuple[Organization, str]:
    """An organization whose verified connection holds a fresh simulator API key."""
    from portal.core import crypto

    api_key = f"reliability-{uuid.uuid4().hex}"
    organization = Organization.objects.create(
        name="Zuverlässig GmbH", slug=f"rel-{uuid.uuid4().hex[:8]}"
    )
    LexwareConnection.objects.create(
        organization=organization,
        encrypted_api_key=crypto.encrypt(api_key),
        key_last_four=api_key[-4:],
        key_fingerprint=key_fingerprint(api_key),
        status=ConnectionStatus.OK,
    )
    return organization, api_key
