"""Reads for the import pages and the exports. Never calls Lexware."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.articles.selectors import article_queryset
from portal.contacts.selectors import contact_queryset
from portal.imports.columns import ARTICLES, CONTACTS
from portal.imports.models import ImportJob, ImportRow
from portal.operations.models import OperationState
from portal.organizations.models import Organization

SENT = ImportRow.Status.SENT


def job_detail(*, organization: Organization, code: object) -> ImportJob:
    return get_object_or_404(
        ImportJob.objects.select_related("created_by"), organization=organization, code=code
    )


def job_list(*, organization: Organization, limit: int = 20) -> QuerySet[ImportJob]:
    return (
        ImportJob.objects.filter(organization=organization)
        .exclude(state=ImportJob.State.DISCARDED)
        .select_related("created_by")[:limit]
    )


@dataclass
class Progress:
    total: int
    to_send: int
    # Of to_send: the matched rows the user chose to update, and those updated so far.
    to_update: int
    updated: int
    skipped: int
    invalid: int
    waiting: int
    active: int
    done: int
    failed: int
    cancelled: int
    rate_per_minute: float | None
    eta: timedelta | None
    last_finished: datetime | None

    @property
    def created(self) -> int:
        return self.done - self.updated

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.cancelled

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.to_send) if self.to_send else 100

    @property
    def eta_minutes(self) -> int:
        return max(1, round(self.eta.total_seconds() / 60)) if self.eta else 0

    @property
    def not_imported(self) -> int:
        return self.invalid + self.failed + self.cancelled


def job_progress(*, job: ImportJob) -> Progress:
    """Counted in one query; rate from the rows finished since the start, ETA from that rate."""
    op_state = "operation__state"
    counts = job.rows.aggregate(
        total=Count("pk"),
        to_send=Count(
            "pk", filter=Q(action__in=(ImportRow.Action.CREATE, ImportRow.Action.UPDATE))
        ),
        to_update=Count("pk", filter=Q(action=ImportRow.Action.UPDATE)),
        updated=Count(
            "pk",
            filter=Q(
                action=ImportRow.Action.UPDATE,
                status=SENT,
                **{op_state: OperationState.SUCCEEDED},
            ),
        ),
        skipped=Count("pk", filter=Q(action=ImportRow.Action.SKIP)),
        invalid=Count("pk", filter=Q(action=ImportRow.Action.INVALID)),
        waiting=Count("pk", filter=Q(status=ImportRow.Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=ImportRow.Status.CANCELLED)),
        done=Count("pk", filter=Q(status=SENT, **{op_state: OperationState.SUCCEEDED})),
        failed=Count("pk", filter=Q(status=SENT, **{op_state: OperationState.FAILED})),
        active=Count(
            "pk",
            filter=Q(status=SENT)
            & Q(
                **{
                    f"{op_state}__in": (
                        OperationState.PENDING,
                        OperationState.RUNNING,
                        OperationState.UNKNOWN,
                    )
                }
            ),
        ),
        last_finished=Max("operation__finished_at"),
    )
    finished = counts["done"] + counts["failed"]
    rate = eta = None
    if job.started_at and finished:
        until = counts["last_finished"] or timezone.now()
        if job.state == ImportJob.State.RUNNING:
            until = timezone.now()
        seconds = max(1.0, (until - job.started_at).total_seconds())
        rate = finished / seconds
        remaining = counts["waiting"] + counts["active"]
        eta = timedelta(seconds=round(remaining / rate)) if remaining else None
    return Progress(
        **counts,
        rate_per_minute=None if rate is None else rate * 60,
        eta=eta,
    )


def rows_with_errors(*, job: ImportJob, limit: int | None = None) -> QuerySet[ImportRow]:
    """Rows not imported: errors found in the preview, refused by Lexware, or cancelled."""
    rows = (
        job.rows.filter(
            Q(action=ImportRow.Action.INVALID)
            | Q(status=SENT, operation__state=OperationState.FAILED)
            | Q(status=ImportRow.Status.CANCELLED)
        )
        .select_related("operation")
        .order_by("number")
    )
    return rows[:limit] if limit else rows


def skipped_rows(*, job: ImportJob, limit: int = 50) -> QuerySet[ImportRow]:
    return job.rows.filter(action=ImportRow.Action.SKIP).order_by("number")[:limit]


def recent_rows(*, job: ImportJob, limit: int = 10) -> QuerySet[ImportRow]:
    """The rows most recently handed to the outbox, with their operations."""
    return job.rows.filter(status=SENT).select_related("operation").order_by("-number")[:limit]


def export_records(
    *, organization: Organization, kind: str, filters: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """The mirror's records the list shows with these filters, in the list's order, streamed."""
    from django.db.models.functions import Collate

    from portal.core.mirror import GERMAN_COLLATION

    if kind == CONTACTS:
        records: QuerySet[Any] = contact_queryset(
            organization=organization, query=filters.get("query", ""), role=filters.get("role")
        ).order_by(Collate("name", GERMAN_COLLATION), "pk")
    elif kind == ARTICLES:
        records = article_queryset(
            organization=organization,
            query=filters.get("query", ""),
            article_type=filters.get("article_type"),
        ).order_by(Collate("title", GERMAN_COLLATION), "pk")
    else:
        raise ValueError(kind)
    for raw in records.values_list("raw", flat=True).iterator(chunk_size=500):
        yield raw or {}
