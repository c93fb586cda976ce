"""Thin tasks: ids in, runner does the work. acks_late + reject_on_worker_lost come from settings.

While PostgreSQL is down (a restart, a failover) running or reconciling an operation raises
OperationalError/InterfaceError before anything is decided; the task is retried with backoff
instead of being dropped, so an operation enqueued during the outage is done soon after the
database is back (reliability.md R9). Both functions are safe to repeat: the runner claims a
row only from `pending` (or `unknown` for reconcile) under a row lock.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from portal.operations import runner

# Backoff 1, 2, 4 … 60 s with full jitter: every countdown stays far below the broker's
# visibility timeout (R13); twelve tries cover an outage of several minutes.
DATABASE_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 12,
}


@shared_task(name="operations.run", ignore_result=True, **DATABASE_RETRY)
def run_operation(operation_id: int) -> None:
    runner.execute(operation_id)


@shared_task(name="operations.reconcile", ignore_result=True, **DATABASE_RETRY)
def reconcile_operation(operation_id: int) -> None:
    runner.reconcile(operation_id)


@shared_task(name="operations.sweep", ignore_result=True)
def sweep_operations() -> dict[str, int]:
    return runner.sweep()
