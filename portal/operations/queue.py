"""Handing operations to the broker.

Tasks are looked up by name in the Celery app's registry instead of being imported, so the
runner (which the tasks call) can enqueue without an import cycle. The lookup returns the real
task object: `apply_async` honours CELERY_TASK_ALWAYS_EAGER in tests.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

RUN = "operations.run"
RECONCILE = "operations.reconcile"


def enqueue(operation_id: int, *, countdown: float | None = None) -> bool:
    """Hand an operation to the broker. If the broker is down the row stays pending and the
    sweeper enqueues it later (reliability.md R2): the user's request must not fail for it."""
    try:
        options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
        current_app.tasks[RUN].apply_async((operation_id,), retry=False, **options)
    except Exception:
        logger.warning(
            "broker unavailable: operation %s stays pending for the sweeper",
            operation_id,
            exc_info=True,
        )
        return False
    return True


def enqueue_on_commit(operation_id: int, *, countdown: float | None = None) -> None:
    transaction.on_commit(lambda: enqueue(operation_id, countdown=countdown))


def enqueue_reconcile(operation_id: int, *, countdown: float | None = None) -> None:
    """After the caller's transaction commits: the reconciler must see the `unknown` row."""
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    transaction.on_commit(
        lambda: current_app.tasks[RECONCILE].apply_async((operation_id,), **options)
    )
