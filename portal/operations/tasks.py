"""Thin tasks: ids in, runner does the work. acks_late + reject_on_worker_lost come from settings."""

from __future__ import annotations

from celery import shared_task

from portal.operations import runner


@shared_task(name="operations.run", ignore_result=True)
def run_operation(operation_id: int) -> None:
    runner.execute(operation_id)


@shared_task(name="operations.reconcile", ignore_result=True)
def reconcile_operation(operation_id: int) -> None:
    runner.reconcile(operation_id)


@shared_task(name="operations.sweep", ignore_result=True)
def sweep_operations() -> dict[str, int]:
    return runner.sweep()
