"""The figures of the health page (/backoffice/): "is everything working?" in one place.

Every probe is bounded in time: the worker question runs in a thread that the page waits for
at most WORKER_WAIT seconds, Redis is asked with a one-second socket timeout. A stopped worker
or Redis makes a red line on the page, never a page that hangs (issue 15 item 1).
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection as db_connection
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from portal.audit import counters
from portal.audit.models import ScheduleRun
from portal.backoffice.alerts import errors_summary, key_expiries
from portal.backoffice.answers import lexware_answers
from portal.operations.models import Lane, Operation, OperationState
from portal.organizations.models import LexwareConnection, Organization
from portal.sync.models import SyncPart, WebhookEvent

WORKER_TIMEOUT = 1.0  # Celery's own broadcast timeout
WORKER_WAIT = 2.5  # the most the page waits for the answer, whatever the broker does
REDIS_TIMEOUT = 1.0
# Kombu's Redis transport keeps priorities in sibling lists of the queue.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


@dataclass
class Check:
    ok: bool
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _redis() -> Any:
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
    )


def database_check() -> Check:
    try:
        with db_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(True, db_connection.vendor)
    except Exception as exc:
        return Check(False, type(exc).__name__)


def redis_check() -> Check:
    if not settings.REDIS_URL:
        return Check(True, gettext("not configured (single machine)"))
    try:
        _redis().ping()
        return Check(True, "PING")
    except Exception as exc:
        return Check(False, type(exc).__name__)


def _inspect_workers() -> dict[str, Any]:
    replies = current_app.control.inspect(timeout=WORKER_TIMEOUT).active()
    return dict(replies or {})


# Without remote control (the demo's filesystem broker cannot broadcast a ping) a worker is
# judged alive by its last run of the sweeper (every OPERATION_SWEEP_SECONDS, 30 s by default).
HEARTBEAT_TASK = "operations.sweep"
HEARTBEAT_FRESH_SECONDS = 75


def _heartbeat() -> Check:
    run = ScheduleRun.objects.filter(task=HEARTBEAT_TASK).first()
    last = run.finished_at if run else None
    fresh = last is not None and last > timezone.now() - timedelta(seconds=HEARTBEAT_FRESH_SECONDS)
    detail = "no ping on this broker; judged by the last sweeper run"
    return Check(fresh, detail, {"workers": [], "heartbeat_at": last})


def workers() -> Check:
    """Alive workers and what each runs now (Celery's inspect over the broker)."""
    if str(getattr(settings, "CELERY_BROKER_URL", "")).startswith("filesystem://"):
        return _heartbeat()
    result: dict[str, Any] = {}

    def ask() -> None:
        try:
            result["replies"] = _inspect_workers()
        except Exception as exc:
            result["error"] = type(exc).__name__

    thread = threading.Thread(target=ask, name="health-inspect", daemon=True)
    thread.start()
    thread.join(WORKER_WAIT)
    if thread.is_alive():
        return Check(False, "no answer in time", {"workers": []})
    if "error" in result:
        return Check(False, f"broker unreachable ({result['error']})", {"workers": []})
    replies = result.get("replies") or {}
    nodes = [
        {
            "name": name,
            "active": [
                {"name": task.get("name", "?"), "args": str(task.get("args", ""))[:80]}
                for task in (tasks or [])
            ],
        }
        for name, tasks in sorted(replies.items())
    ]
    return Check(bool(nodes), "" if nodes else "no worker answered", {"workers": nodes})


def schedules(now: datetime) -> list[dict[str, Any]]:
    runs = {run.task: run for run in ScheduleRun.objects.all()}
    rows = []
    for name, entry in sorted((getattr(settings, "CELERY_BEAT_SCHEDULE", {}) or {}).items()):
        every = entry.get("schedule")
        seconds = float(every) if isinstance(every, int | float) else None
        run = runs.get(entry["task"])
        late = seconds is not None and (
            run is None
            or run.sent_at is None
            or run.sent_at < now - timedelta(seconds=2 * seconds + 60)
        )
        rows.append(
            {"name": name, "task": entry["task"], "every": seconds, "run": run, "late": late}
        )
    return rows


def queues() -> Check:
    """Messages waiting in the broker per queue, and operations waiting per lane."""
    lanes = dict(
        Operation.objects.filter(state=OperationState.PENDING)
        .values_list("lane")
        .annotate(n=Count("pk"))
        .values_list("lane", "n")
    )
    extra: dict[str, Any] = {"lanes": lanes, "broker": {}}
    if not settings.REDIS_URL:
        return Check(True, "broker without Redis: not measured", extra)
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery") or "celery"}
    try:
        client = _redis()
        for name in sorted(names):
            extra["broker"][name] = sum(int(client.llen(name + s)) for s in _PRIORITY_SUFFIXES)
        extra["unacked"] = int(client.hlen("unacked"))
    except Exception as exc:
        return Check(False, type(exc).__name__, extra)
    return Check(True, "", extra)


def limiter_state() -> list[dict[str, Any]]:
    """Tokens left in each connected key's bucket (Redis limiter only); full when idle."""
    connections = list(
        LexwareConnection.objects.select_related("organization").order_by("organization__name")
    )
    rate, burst = float(settings.LEXWARE_RATE_PER_SECOND), float(settings.LEXWARE_BURST)
    rows = []
    client = None
    if settings.REDIS_URL and getattr(settings, "LEXWARE_LIMITER", "auto") in ("auto", "redis"):
        try:
            client = _redis()
            seconds, micros = client.time()
            now_us = int(seconds) * 1_000_000 + int(micros)
        except Exception:
            client = None
    for conn in connections:
        tokens: float | None = None
        if client is not None:
            try:
                stored, ts = client.hmget(
                    "lexware:ratelimit:" + conn.key_fingerprint, "tokens", "ts"
                )
                if stored is None or ts is None:
                    tokens = burst
                else:
                    elapsed = max(0, now_us - int(float(ts))) / 1_000_000
                    tokens = min(burst, float(stored) + elapsed * rate)
            except Exception:
                tokens = None
        rows.append(
            {
                "organization": conn.organization,
                "fingerprint": conn.key_fingerprint,
                "tokens": tokens,
                "burst": burst,
                "status": conn.get_status_display(),
            }
        )
    return rows


def webhook_intake(now: datetime) -> dict[str, Any]:
    day = WebhookEvent.objects.filter(received_at__gte=now - timedelta(days=1))
    figures = day.aggregate(
        last_hour=Count("pk", filter=Q(received_at__gte=now - timedelta(hours=1))),
        last_day=Count("pk"),
        unprocessed=Count("pk", filter=Q(processed_at__isnull=True)),
    )
    last = (
        WebhookEvent.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    )
    return {
        **figures,
        "last_event_at": last,
        "signature_failures_hour": counters.last_hours(counters.WEBHOOK_SIGNATURE_FAILED, 1),
        "signature_failures_day": counters.last_hours(counters.WEBHOOK_SIGNATURE_FAILED, 24),
    }


def sync_freshness() -> list[dict[str, Any]]:
    parts = SyncPart.objects.values("organization_id").annotate(
        oldest=Min("finished_at"),
        newest=Max("finished_at"),
        failed=Count("pk", filter=Q(status=SyncPart.Status.FAILED)),
        running=Count("pk", filter=Q(status=SyncPart.Status.RUNNING)),
    )
    by_org = {row["organization_id"]: row for row in parts}
    last_events = dict(
        WebhookEvent.objects.filter(organization__isnull=False)
        .values_list("organization_id")
        .annotate(last=Max("received_at"))
        .values_list("organization_id", "last")
    )
    return [
        {"organization": org, "parts": by_org.get(org.pk), "last_event_at": last_events.get(org.pk)}
        for org in Organization.objects.order_by("name")
    ]


def operations_summary(now: datetime) -> dict[str, Any]:
    figures = Operation.objects.aggregate(
        pending=Count("pk", filter=Q(state=OperationState.PENDING)),
        running=Count("pk", filter=Q(state=OperationState.RUNNING)),
        unknown=Count("pk", filter=Q(state=OperationState.UNKNOWN)),
        failed_day=Count(
            "pk", filter=Q(state=OperationState.FAILED, updated_at__gte=now - timedelta(days=1))
        ),
        oldest_pending=Min("created_at", filter=Q(state=OperationState.PENDING)),
    )
    return figures


def web() -> Check:
    return Check(True, f"{socket.gethostname()} pid {os.getpid()}")


def collect() -> dict[str, Any]:
    now = timezone.now()
    queue = queues()
    lanes = [(label, queue.extra["lanes"].get(value, 0)) for value, label in Lane.choices]
    limiter = {row["organization"].pk: row for row in limiter_state()}
    organizations = [
        {**row, "limiter": limiter.get(row["organization"].pk)} for row in sync_freshness()
    ]
    return {
        "now": now,
        "web": web(),
        "database": database_check(),
        "redis": redis_check(),
        "workers": workers(),
        "schedules": schedules(now),
        "queues": queue,
        "lanes": lanes,
        "answers": lexware_answers(now),
        "webhooks": webhook_intake(now),
        "organizations": organizations,
        "operations": operations_summary(now),
        "errors": errors_summary(now),
        "key_expiries": key_expiries(),
    }
