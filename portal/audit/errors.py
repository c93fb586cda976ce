"""Errors reach an operator (issue 15 item 7): every unhandled exception of a web request
(Django's got_request_exception) or a worker task (Celery's task_failure) is kept as an
ErrorEvent the health page shows, mailed to ADMINS from the worker (Django's own
AdminEmailHandler does it for web requests with DEBUG off), and sent to Sentry when its SDK is
set up (settings.SENTRY_DSN; the SDK's integrations hook both by themselves).

Recording must never raise: it runs inside the error handling of the request or task.
"""

from __future__ import annotations

import hashlib
import logging
import traceback as tb
from types import TracebackType
from typing import Any

from celery.signals import task_failure
from django.conf import settings
from django.core.mail import mail_admins
from django.core.signals import got_request_exception
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from portal.audit.models import ErrorEvent
from portal.core.logging import redact

logger = logging.getLogger(__name__)

MAX_MESSAGE = 2000
MAX_TRACEBACK = 20_000


def _innermost(trace: TracebackType | None) -> str:
    frames = tb.extract_tb(trace) if trace is not None else []
    if not frames:
        return ""
    last = frames[-1]
    return f"{last.filename}:{last.name}"


def fingerprint(*, where: str, exc: BaseException, context: str) -> str:
    text = "|".join((where, type(exc).__qualname__, _innermost(exc.__traceback__), context))
    return hashlib.sha256(text.encode()).hexdigest()


def error_record(*, where: str, exc: BaseException, context: str = "") -> ErrorEvent | None:
    """Keep the exception (or count a repeat); None if even that fails."""
    try:
        context = redact(context)[:300]
        kind = f"{type(exc).__module__}.{type(exc).__qualname__}"[:200]
        message = redact(str(exc))[:MAX_MESSAGE]
        trace = redact("".join(tb.format_exception(type(exc), exc, exc.__traceback__)))
        key = fingerprint(where=where, exc=exc, context=context)
        now = timezone.now()
        with transaction.atomic():
            event, created = ErrorEvent.objects.get_or_create(
                fingerprint=key,
                defaults={
                    "where": where,
                    "exception_type": kind,
                    "message": message,
                    "traceback": trace[-MAX_TRACEBACK:],
                    "context": context,
                    "first_seen": now,
                    "last_seen": now,
                },
            )
            if not created:
                ErrorEvent.objects.filter(pk=event.pk).update(
                    count=F("count") + 1,
                    last_seen=now,
                    message=message,
                    traceback=trace[-MAX_TRACEBACK:],
                )
                event.refresh_from_db()
        event.is_new = created  # type: ignore[attr-defined]
        return event
    except Exception:
        logger.warning("could not record an error event", exc_info=True)
        return None


@receiver(got_request_exception, dispatch_uid="audit.request_exception")
def _request_exception(sender: Any, request: Any = None, **kwargs: Any) -> None:
    import sys

    exc = sys.exc_info()[1]
    if exc is None:
        return
    from django.db import InterfaceError, OperationalError

    if isinstance(exc, OperationalError | InterfaceError):
        return  # the database is down: answered 503 (R9); nothing could be stored anyway
    error_record(where="web", exc=exc, context=str(getattr(request, "path", "") or ""))


@task_failure.connect(dispatch_uid="audit.task_failure")
def _task_failure(
    sender: Any = None, exception: BaseException | None = None, **kwargs: Any
) -> None:
    if exception is None:
        return
    name = str(getattr(sender, "name", "") or "")
    event = error_record(where="worker", exc=exception, context=name)
    if event is not None and getattr(event, "is_new", False) and settings.ADMINS:
        # Web errors are mailed by Django's AdminEmailHandler; the worker has no such handler.
        try:
            mail_admins(
                f"Worker error in {name}: {event.exception_type}",
                f"{event.message}\n\n{event.traceback}",
                fail_silently=True,
            )
        except Exception:
            logger.warning("could not mail ADMINS about a worker error", exc_info=True)
