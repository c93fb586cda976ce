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
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_RETRY_BACKOFF_MAX = 60
DATABASE_MAX_RETRIES = 12


@shared_task(
    name="operations.run",
    ignore_result=True,
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=1,
    retry_backoff_max=DATABASE_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=DATABASE_MAX_RETRIES,
)
def run_operation(operation_id: int) -> None:
    runner.execute(operation_id)


@shared_task(
    name="operations.reconcile",
    ignore_result=True,
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=1,
    retry_backoff_max=DATABASE_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=DATABASE_MAX_RETRIES,
)
def reconcile_operation(operation_id: int) -> None:
    runner.reconcile(operation_id)


@shared_task(name="operations.sweep", ignore_result=True)
def sweep_operations() -> dict[str, int]:
    return runner.sweep()
