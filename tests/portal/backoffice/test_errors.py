"""Errors reach an operator (issue 15 item 7): an unhandled exception in a web request or a
worker task is kept (secrets scrubbed, repeats counted), shown on the health page and the
error list; worker errors are mailed to ADMINS; the 500 page promises only that."""

from __future__ import annotations

from typing import Any

import pytest
from celery import shared_task
from django.core import mail
from django.test import Client
from django.urls import include, path, reverse

from portal.audit.errors import error_record
from portal.audit.models import ErrorEvent

SECRET = "Bearer sk-live-0123456789abcdef"


def _boom(request: Any) -> Any:
    raise RuntimeError(f"broken while calling with {SECRET} api_key=abc123secret")


# The portal's URLs plus one view that fails (the tests' ROOT_URLCONF).
urlpatterns = [path("boom/", _boom), path("", include("portal.urls"))]


@shared_task(name="tests.failing_task")
def failing_task() -> None:
    raise ValueError("task broke, authorization: Bearer tok-999")


@pytest.fixture
def boom_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


def test_a_web_error_is_kept_scrubbed_and_counted(
    boom_urls: None, settings: Any, operator: Any, client_for: Any
) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    for _ in range(2):
        response = client.get("/boom/?token=zzz")
        assert response.status_code == 500
    assert "recorded for the people who run this portal" in response.content.decode()
    event = ErrorEvent.objects.get()
    assert event.where == "web" and event.context == "/boom/" and event.count == 2
    assert event.exception_type == "builtins.RuntimeError"
    assert "sk-live" not in event.message + event.traceback
    assert "abc123secret" not in event.message + event.traceback
    assert "zzz" not in event.context
    staff = client_for(operator)
    health = staff.get(reverse("backoffice:home")).content.decode()
    assert "builtins.RuntimeError" in health and "/boom/" in health
    listed = staff.get(reverse("backoffice:errors") + "?where=web").content.decode()
    assert "builtins.RuntimeError" in listed
    detail = staff.get(reverse("backoffice:error_detail", kwargs={"pk": event.pk}))
    assert detail.status_code == 200 and "_boom" in detail.content.decode()
    assert (
        staff.get(reverse("backoffice:errors") + "?where=worker")
        .content.decode()
        .count("builtins.RuntimeError")
        == 0
    )


def test_a_worker_error_is_kept_and_mailed_to_admins_once(settings: Any, db: None) -> None:
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _ in range(3):
        failing_task.apply()  # eager, as a worker runs it: task_failure fires
    event = ErrorEvent.objects.get()
    assert event.where == "worker" and event.context == "tests.failing_task"
    assert event.count == 3 and "tok-999" not in event.message + event.traceback
    assert len(mail.outbox) == 1  # a new error is mailed; its repeats only count
    assert (
        mail.outbox[0].to == ["ops@example.org"] and "tests.failing_task" in mail.outbox[0].subject
    )


def test_without_admins_nothing_is_mailed_and_recording_never_raises(
    settings: Any, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ADMINS = []
    failing_task.apply()
    assert ErrorEvent.objects.count() == 1 and mail.outbox == []
    monkeypatch.setattr(ErrorEvent.objects, "get_or_create", lambda **kw: 1 / 0)
    assert error_record(where="web", exc=ValueError("x")) is None


def test_sentry_is_optional() -> None:
    from portal.core.sentry import sentry_init

    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        assert sentry_init("https://public@sentry.invalid/1") is False
    else:  # installed: initialised, no exception
        assert sentry_init("https://public@sentry.invalid/1") is True
