"""Handing e-mails to the broker by task name (the task module imports the sender)."""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

SEND = "emails.send"


def enqueue_email(email_id: int, *, countdown: float | None = None) -> bool:
    """A broker outage leaves the row queued; `emails.sweep` enqueues it again later."""
    try:
        options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
        current_app.tasks[SEND].apply_async((email_id,), retry=False, **options)
    except Exception:
        logger.warning("broker unavailable: e-mail %s stays queued", email_id, exc_info=True)
        return False
    return True


def enqueue_email_on_commit(email_id: int) -> None:
    transaction.on_commit(lambda: enqueue_email(email_id))
