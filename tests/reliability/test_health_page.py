"""The backoffice health page with a real worker (issue 15 item 8, reliability.md O4): a
running worker is listed; once it is stopped the page says so at the next look, without
waiting on it; with Redis gone the page still answers in seconds and shows Redis down."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from tests.conftest import mark_session_verified
from tests.reliability.conftest import _use_broker
from tests.reliability.rig import free_port, reset_producers

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker]


def _page(operator: Any) -> tuple[str, float]:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    mark_session_verified(client, operator)
    began = time.monotonic()
    response = client.get("/backoffice/")
    assert response.status_code == 200
    return response.content.decode(), time.monotonic() - began


def test_a_stopped_worker_shows_on_the_health_page(
    real_broker: str, start_worker: Any, operator: Any
) -> None:
    worker = start_worker(broker=real_broker, name="health-probe@%h")
    html, _took = _page(operator)
    assert "health-probe@" in html and "1 worker answered" in html
    worker.stop()
    html, took = _page(operator)
    assert "No worker answered" in html and "health-probe@" not in html
    assert took < 10


def test_with_redis_gone_the_page_answers_and_says_so(
    transactional_db: None, operator: Any, settings: Any
) -> None:
    from portal.celery import app

    gone = f"redis://127.0.0.1:{free_port()}/0"
    previous = _use_broker(gone)
    app.conf.broker_connection_timeout = 1
    settings.REDIS_URL = gone
    try:
        html, took = _page(operator)
    finally:
        app.conf.update(previous)
        reset_producers()
    assert took < 10
    assert "No worker answered" in html
    redis_row = html.split('<th scope="row">Redis</th>')[1].split("</tr>")[0]
    assert "Down" in redis_row
