"""Recorded from signals: sign-in, sign-out, failures and lock-outs, and beat's periodic tasks."""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from portal.audit import context
from portal.audit.models import ScheduleRun
from portal.audit.recorder import Action, record
from portal.core.client_ip import client_ip

logger = logging.getLogger(__name__)


def _prefix(request: HttpRequest | None) -> str | None:
    return context.ip_prefix(client_ip(request)) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit.login")
def _login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Action.LOGIN, actor=user, ip_prefix=_prefix(request))


@receiver(user_logged_out, dispatch_uid="audit.logout")
def _logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.LOGOUT, actor=user, ip_prefix=_prefix(request))


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in `credentials`; only the name typed is kept.
    typed = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record(Action.LOGIN_FAILED, system=True, ip_prefix=_prefix(request), details={"email": typed})


@receiver(user_locked_out, dispatch_uid="audit.locked_out")
def _locked_out(
    sender: Any, request: HttpRequest | None = None, username: str = "", **kwargs: Any
) -> None:
    record(
        Action.LOCKED_OUT,
        system=True,
        ip_prefix=_prefix(request),
        details={"email": str(username or "")[:254]},
    )


# --- beat: when each periodic task was last sent and last run (shown on the health page)


def _periodic(name: Any) -> bool:
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {}
    return any(entry.get("task") == name for entry in schedule.values())


def _touch(task: str, **fields: Any) -> None:
    try:
        ScheduleRun.objects.update_or_create(task=task, defaults=fields)
    except Exception:  # the health record must never stop the task itself
        logger.warning("could not record the run of %s", task, exc_info=True)


@before_task_publish.connect(dispatch_uid="audit.schedule_sent")
def _sent(sender: Any = None, **kwargs: Any) -> None:
    if _periodic(sender):
        _touch(str(sender), sent_at=timezone.now())


@task_prerun.connect(dispatch_uid="audit.schedule_started")
def _started(sender: Any = None, **kwargs: Any) -> None:
    name = getattr(sender, "name", None)
    if _periodic(name):
        _touch(str(name), started_at=timezone.now(), state="running")


@task_postrun.connect(dispatch_uid="audit.schedule_finished")
def _finished(sender: Any = None, state: str | None = None, **kwargs: Any) -> None:
    name = getattr(sender, "name", None)
    if _periodic(name):
        _touch(str(name), finished_at=timezone.now(), state=str(state or "").lower())
