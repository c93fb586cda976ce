"""Thin tasks: an export id in, `exports.export_step` does the work (safe to deliver twice)."""

from __future__ import annotations

from celery import shared_task

from portal.files import exports


# A build of thousands of PDFs may take minutes: longer limits than the default task's.
@shared_task(name=exports.STEP, ignore_result=True, soft_time_limit=900, time_limit=960)
def export_step_task(export_id: int) -> str:
    return exports.export_step(export_id)


@shared_task(name="files.export_sweep", ignore_result=True)
def export_sweep_task() -> int:
    return exports.export_sweep()
