"""Thin tasks: ids in, services do the work."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from portal.imports import services


@shared_task(
    name="imports.pump",
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=1,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=12,
)
def pump_import(job_id: int) -> None:
    services.import_pump(job_id=job_id)


@shared_task(name="imports.pump_stale", ignore_result=True)
def pump_stale_imports() -> int:
    return services.import_pump_stale()
