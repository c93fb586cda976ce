"""The health page (/backoffice/): every figure from its real source, and never a hang.
The reliability suite (tests/reliability/test_health_page.py) adds a real worker stopped and
started and a Redis that is gone."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.audit.models import LexwareCall, ScheduleRun
from portal.operations.models import Operation, OperationState
from portal.operations.tasks import sweep_operations
from portal.organizations.models import Organization
from portal.sync.models import WebhookEvent


def _calls(org: Organization, statuses_and_ms: list[tuple[int, int]], minutes_ago: int = 1) -> None:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    LexwareCall.objects.bulk_create(
        LexwareCall(
            organization_id=org.pk,
            at=at,
            method="GET",
            path="/v1/contacts",
            status=s,
            duration_ms=ms,
        )
        for s, ms in statuses_and_ms
    )


def test_without_a_worker_the_page_says_so_quickly(operator: User, client_for: Any) -> None:
    began = time.monotonic()
    response = client_for(operator).get("/backoffice/")
    assert time.monotonic() - began < 10
    html = response.content.decode()
    assert response.status_code == 200
    assert "No worker answered: operations wait until one runs again." in html
    assert "PostgreSQL" in html and "Redis" in html


def test_operations_and_lanes(operator: User, org_a: Organization, client_for: Any) -> None:
    Operation.objects.create(organization=org_a, kind="contact.create", lane="interactive")
    Operation.objects.create(organization=org_a, kind="contact.create", lane="bulk")
    Operation.objects.create(organization=org_a, kind="contact.create", lane="bulk")
    Operation.objects.create(
        organization=org_a, kind="contact.create", state=OperationState.UNKNOWN
    )
    from portal.backoffice import health

    figures = health.collect()
    assert [count for _label, count in figures["lanes"]] == [1, 2]  # interactive, bulk
    assert figures["operations"]["pending"] == 3 and figures["operations"]["unknown"] == 1
    html = client_for(operator).get("/backoffice/").content.decode()
    assert 'badge badge--unknown">1<' in html


def test_lexware_answers_per_organization(
    operator: User, org_a: Organization, org_b: Organization, client_for: Any
) -> None:
    _calls(org_a, [(200, ms) for ms in range(10, 200, 10)] + [(429, 5), (503, 900), (404, 30)])
    _calls(org_b, [(200, 50)], minutes_ago=120)  # outside the hour, inside the day
    from portal.backoffice.answers import lexware_answers

    rows = {row["organization"]: row for row in lexware_answers(timezone.now())}
    alpha = rows["Alpha Werkstatt GmbH"]["hour"]
    assert (
        alpha["calls"],
        alpha["ok"],
        alpha["rate_limited"],
        alpha["server_errors"],
        alpha["client_errors"],
    ) == (22, 19, 1, 1, 1)
    assert 180 <= alpha["p95_ms"] <= 900  # 22 calls: the 95th lies between 190 and 900
    assert rows["Beta Handel KG"]["hour"] is None and rows["Beta Handel KG"]["day"]["calls"] == 1
    html = client_for(operator).get("/backoffice/").content.decode()
    assert "Alpha Werkstatt GmbH" in html


def test_a_real_call_lands_in_the_request_log(
    alice: User,
    org_a: Organization,
    sim: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(
            reverse("connection:save", kwargs={"org_slug": org_a.slug}),
            {"api_key": "health-page-test-key-0123456789"},
        )
    verify = Operation.objects.get(kind="connection.verify")
    call = LexwareCall.objects.get(operation_id=verify.pk)
    assert (call.organization_id, call.method, call.path, call.status) == (
        org_a.pk,
        "GET",
        "/v1/profile",
        200,
    )


def test_webhook_intake_and_bad_signatures(
    operator: User, org_a: Organization, client: Any, client_for: Any
) -> None:
    WebhookEvent.objects.create(
        organization=org_a,
        lexware_organization_id=uuid.uuid4(),
        event_type="contact.changed",
        resource_id=str(uuid.uuid4()),
        event_date="x",
    )
    for _n in range(2):
        assert (
            client.post(
                "/hooks/lexware/",
                b"{}",
                content_type="application/json",
                HTTP_X_LXO_SIGNATURE="bad",
            ).status_code
            == 401
        )
    from portal.backoffice import health

    intake = health.webhook_intake(timezone.now())
    assert intake["last_hour"] == 1 and intake["unprocessed"] == 1
    assert intake["signature_failures_day"] == 2


def test_beat_schedules_are_recorded_when_they_run(
    operator: User, client_for: Any, settings: Any
) -> None:
    html = client_for(operator).get("/backoffice/").content.decode()
    assert "never recorded" in html
    sweep_operations.apply()
    run = ScheduleRun.objects.get(task="operations.sweep")
    assert run.started_at and run.finished_at and run.state == "success"
    ScheduleRun.objects.filter(task="operations.sweep").update(
        sent_at=timezone.now() - timedelta(hours=2)
    )
    from portal.backoffice import health

    rows = {row["task"]: row for row in health.schedules(timezone.now())}
    assert rows["operations.sweep"]["late"] is True


@pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
def test_nobody_but_operators(who: str, cast: dict[str, User], client_for: Any) -> None:
    assert client_for(cast[who]).get("/backoffice/").status_code == 404


def test_on_the_filesystem_broker_the_sweepers_runs_tell(
    operator: User, settings: Any, client_for: Any
) -> None:
    """The demo's broker cannot broadcast a ping: the worker's last sweeper run decides."""
    from portal.backoffice import health

    settings.CELERY_BROKER_URL = "filesystem://"
    assert health.workers().ok is False
    sweep_operations.apply()  # as the worker does every 30 s
    assert health.workers().ok is True
    html = client_for(operator).get("/backoffice/").content.decode()
    assert "judged by the sweeper" in html and "No worker answered" not in html
    ScheduleRun.objects.filter(task="operations.sweep").update(
        finished_at=timezone.now() - timedelta(minutes=2)
    )
    assert health.workers().ok is False
