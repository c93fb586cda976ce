"""Handing render jobs to the broker by task name (the task module imports the renderer)."""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

RENDER = "rendering.render"


def enqueue(job_id: int) -> bool:
    """A broker outage leaves the job queued; the page offers "try again" after a while."""
    try:
        current_app.tasks[RENDER].apply_async((job_id,), retry=False)
    except Exception:
        logger.warning("broker unavailable: render job %s stays queued", job_id, exc_info=True)
        return False
    return True


def enqueue_on_commit(job_id: int) -> None:
    transaction.on_commit(lambda: enqueue(job_id))
