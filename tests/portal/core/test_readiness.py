"""Readiness for the load balancer (reliability.md O4): 200 while PostgreSQL and Redis answer,
503 as soon as either is gone, and quickly (no hanging probe); liveness stays 200 meanwhile."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _database_gone() -> Iterator[None]:
    """The default connection points at a port where no PostgreSQL listens, then back."""
    from django.db import connections

    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_free_port()))
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_ready_when_postgres_and_redis_answer(db: None, settings: Any, redis_url: str) -> None:
    settings.REDIS_URL = redis_url
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "redis": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_not_ready_when_redis_is_gone(db: None, settings: Any) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{_free_port()}/0"
    began = time.monotonic()
    response = Client().get("/readyz")
    assert time.monotonic() - began < 5
    assert response.status_code == 503
    assert response.json() == {"ready": False, "database": "ok", "redis": "unavailable"}
    assert Client().get("/healthz").status_code == 200  # alive, only not ready


def test_not_ready_when_postgres_is_gone(
    transactional_db: None, settings: Any, redis_url: str
) -> None:
    settings.REDIS_URL = redis_url
    with _database_gone():
        began = time.monotonic()
        response = Client().get("/readyz")
        assert time.monotonic() - began < 10
        assert response.status_code == 503
        assert response.json() == {"ready": False, "database": "unavailable", "redis": "ok"}
        assert Client().get("/healthz").status_code == 200
    assert Client().get("/readyz").status_code == 200  # back as soon as it answers again
