"""Thin task: a render job id in, `render.render_job` does the work (safe to deliver twice)."""

from __future__ import annotations

from celery import shared_task

from portal.rendering import render, services


@shared_task(name="rendering.render", ignore_result=True)
def render_task(job_id: int) -> str:
    return render.render_job(job_id)


@shared_task(name="rendering.prune", ignore_result=True)
def prune_task() -> int:
    return services.prune_previews()
