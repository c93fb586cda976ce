"""The worker side: draw a job's PDF from its stored input and keep it in storage.

Claimed with a conditional update, so a task delivered twice renders once. Any exception while
drawing is recorded on the job (the page shows it, with a retry button); nothing is raised to
Celery, whose redelivery would only repeat the same failure.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db.models import F
from django.utils import timezone

from portal.rendering.canvas import Rendered
from portal.rendering.models import RenderJob, RenderKind, RenderState
from portal.rendering.statement_pdf import draw_statement
from portal.rendering.storage import save_render
from portal.rendering.voucher_pdf import draw_voucher

logger = logging.getLogger(__name__)
MAX_ERROR = 1000


def draw(payload: dict[str, Any]) -> Rendered:
    if payload.get("kind") == RenderKind.STATEMENT:
        return draw_statement(payload)
    return draw_voucher(payload)


def render_job(job_id: int) -> str:
    claimed = RenderJob.objects.filter(pk=job_id, state=RenderState.PENDING).update(
        state=RenderState.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    job = RenderJob.objects.select_related("organization").get(pk=job_id)
    started = time.perf_counter()
    try:
        rendered = draw(job.input if isinstance(job.input, dict) else {})
        name = save_render(job, rendered.content)
    except Exception as exc:  # the page shows why; the user retries
        logger.exception("render job %s failed", job.code)
        RenderJob.objects.filter(pk=job.pk).update(
            state=RenderState.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR],
            finished_at=timezone.now(),
        )
        return "failed"
    RenderJob.objects.filter(pk=job.pk).update(
        state=RenderState.SUCCEEDED,
        storage_name=name,
        size=len(rendered.content),
        pages=rendered.pages,
        duration_ms=int((time.perf_counter() - started) * 1000),
        error="",
        finished_at=timezone.now(),
    )
    return "succeeded"
