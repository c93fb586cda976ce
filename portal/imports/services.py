"""Import jobs: prepare (validate every row, no Lexware call), start, feed, cancel.

A started job does not turn all its rows into Operations at once: a feeder task keeps a small
window of them waiting or running (IMPORT_WINDOW) and comes back every IMPORT_PUMP_SECONDS to
top it up. So the bulk lane always has work to keep the per-key budget busy, while an
interactive write of the same organization finds at most a window of import tasks ahead of it
in the broker queue, and a cancel only has a few queued operations to withdraw.

Each row's Operation carries the idempotency key (job, row): a feeder that runs twice (a
duplicate delivery, a worker killed mid-feed and the message redelivered) gets the same
Operation back, so no row is ever created twice by the import itself; the outbox makes sure
each Operation writes at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.accounts.models import User
from portal.articles.models import Article
from portal.articles.services import article_create, article_update
from portal.contacts.models import Contact
from portal.contacts.services import contact_create, contact_update
from portal.imports.columns import ARTICLES, CONTACTS, MATCH_COLUMN, match_headings
from portal.imports.models import ImportJob, ImportRow
from portal.imports.reading import ParsedFile
from portal.imports.rows import FROM_CELLS, unescape_cell
from portal.imports.updates import UPDATE_DATA
from portal.operations.models import Lane, Operation, OperationState
from portal.operations.services import operation_withdraw
from portal.organizations.models import Organization

logger = logging.getLogger(__name__)

PUMP_TASK = "imports.pump"
FLIGHT = (OperationState.PENDING, OperationState.RUNNING)
ACTIVE = (OperationState.PENDING, OperationState.RUNNING, OperationState.UNKNOWN)

Starter = Callable[..., Operation]
# The service that creates one record per kind; a kind without one cannot be imported yet.
STARTERS: dict[str, Starter] = {CONTACTS: contact_create, ARTICLES: article_create}
# The edit service per kind, for the matched rows the user chose to update: the same
# read-merge-put as the edit form (portal/operations/edits.py), never a second mechanism.
UPDATERS: dict[str, Starter] = {CONTACTS: contact_update, ARTICLES: article_update}
MIRRORS: dict[str, type[Contact] | type[Article]] = {CONTACTS: Contact, ARTICLES: Article}


def window() -> int:
    """Rows of one job queued or running at a time: enough to keep a worker's threads on the
    budget, few enough that interactive work is not stuck behind them in the broker queue."""
    return int(getattr(settings, "IMPORT_WINDOW", 12))


def _language(job: ImportJob) -> str:
    return job.language or settings.LANGUAGE_CODE


def importable_kinds() -> list[str]:
    return [kind for kind in (CONTACTS, ARTICLES) if kind in STARTERS]


def _existing(*, organization: Organization, kind: str, values: set[str]) -> dict[str, str]:
    """Match value (customer or article number) → Lexware id of the mirror record it names."""
    if not values:
        return {}
    if kind == CONTACTS:
        numbers = {int(v) for v in values if v.isdecimal() and len(v) < 10}
        rows = Contact.objects.filter(
            organization=organization, customer_number__in=numbers, deleted_at__isnull=True
        ).values_list("customer_number", "lexware_id")
        return {str(number): str(lexware_id) for number, lexware_id in rows}
    found = Article.objects.filter(
        organization=organization, article_number__in=values, deleted_at__isnull=True
    ).values_list("article_number", "lexware_id")
    return {number: str(lexware_id) for number, lexware_id in found}


@transaction.atomic
def import_prepare(
    *,
    organization: Organization,
    user: User | None,
    kind: str,
    file_name: str,
    parsed: ParsedFile,
) -> ImportJob:
    """The preview: every row checked and matched; nothing is sent to Lexware."""
    positions, unknown = match_headings(kind, parsed.headings)
    job = ImportJob.objects.create(
        organization=organization,
        kind=kind,
        created_by=user,
        file_name=file_name[:255],
        file_format=parsed.format,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        headings=parsed.headings,
        unknown_headings=unknown,
        language=(translation.get_language() or "")[:8],
    )
    match_key = MATCH_COLUMN[kind]
    rows: list[tuple[int, list[str], dict[str, str]]] = []
    for index, raw in enumerate(parsed.rows):
        cells = {key: unescape_cell(raw[pos]) for pos, key in positions.items() if pos < len(raw)}
        rows.append((index + 2, raw, cells))
    existing = _existing(
        organization=organization,
        kind=kind,
        values={cells[match_key] for _n, _r, cells in rows if cells.get(match_key)},
    )
    objects = []
    for number, raw, cells in rows:
        result = FROM_CELLS[kind](cells)
        matched = existing.get(cells.get(match_key, ""), "")
        if result.errors:
            action = ImportRow.Action.INVALID
        elif matched:
            action = ImportRow.Action.SKIP
        else:
            action = ImportRow.Action.CREATE
        objects.append(
            ImportRow(
                job=job,
                number=number,
                cells=raw,
                data=result.data,
                errors=[[key, message] for key, message in result.errors],
                action=action,
                matched_id=matched,
                status=ImportRow.Status.WAITING
                if action == ImportRow.Action.CREATE
                else ImportRow.Status.NOT_SENT,
            )
        )
    ImportRow.objects.bulk_create(objects, batch_size=500)
    return job


def _enqueue_pump(job_id: int, *, countdown: float | None = None) -> None:
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}

    def send() -> None:
        try:
            current_app.tasks[PUMP_TASK].apply_async((job_id,), retry=False, **options)
        except Exception:
            # The beat's import_pump_stale feeds the job once the broker is back.
            logger.warning("broker unavailable: import %s waits for the next feed", job_id)

    transaction.on_commit(send)


def import_start(
    *, organization: Organization, job: ImportJob, update_matched: bool = False
) -> ImportJob:
    """`update_matched`: the rows that match an existing record update it instead of being
    skipped (the preview's choice; skipping is the default)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk, organization=organization)
        if job.state != ImportJob.State.PREVIEW:
            return job
        if job.kind not in STARTERS:
            raise ValidationError(gettext("This kind of file cannot be imported yet."))
        if update_matched and job.kind in UPDATERS:
            job.rows.filter(action=ImportRow.Action.SKIP).exclude(matched_id="").update(
                action=ImportRow.Action.UPDATE, status=ImportRow.Status.WAITING
            )
        job.state = ImportJob.State.RUNNING
        job.started_at = job.pumped_at = timezone.now()
        job.save(update_fields=["state", "started_at", "pumped_at"])
        _enqueue_pump(job.pk)
    return job


def import_discard(*, organization: Organization, job: ImportJob) -> None:
    ImportJob.objects.filter(
        pk=job.pk, organization=organization, state=ImportJob.State.PREVIEW
    ).update(state=ImportJob.State.DISCARDED, finished_at=timezone.now())


def import_cancel(*, organization: Organization, job: ImportJob) -> ImportJob:
    """Stop feeding and withdraw the rows whose Operation has not been sent yet. A row already
    on its way to Lexware is left to finish: withdrawing it could lose a record it made."""
    with transaction.atomic(), translation.override(_language(job)):
        job = ImportJob.objects.select_for_update().get(pk=job.pk, organization=organization)
        if job.state != ImportJob.State.RUNNING:
            return job
        now = timezone.now()
        job.rows.filter(status=ImportRow.Status.WAITING).update(status=ImportRow.Status.CANCELLED)
        queued = job.rows.filter(
            status=ImportRow.Status.SENT,
            operation__state=OperationState.PENDING,
            operation__written_at__isnull=True,
        ).select_related("operation")
        for row in queued:
            assert row.operation is not None
            try:
                operation_withdraw(
                    organization=organization,
                    kind=row.operation.kind,
                    code=row.operation.code,
                    reason=gettext("The import was cancelled before this row was sent."),
                )
            except ValidationError:
                continue  # claimed by a worker meanwhile: it finishes like any sent row
            row.status = ImportRow.Status.CANCELLED
            row.save(update_fields=["status"])
        job.state = ImportJob.State.CANCELLED
        job.finished_at = now
        job.save(update_fields=["state", "finished_at"])
    return job


def import_pump(*, job_id: int) -> bool:
    """Top up the job's window of operations; True while the job has rows to feed or watch."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("organization", "created_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.state != ImportJob.State.RUNNING:
            return False
        rows = job.rows.all()
        in_flight = rows.filter(status=ImportRow.Status.SENT, operation__state__in=FLIGHT).count()
        fed = 0
        starter = STARTERS[job.kind]
        positions, _unknown = match_headings(job.kind, job.headings)
        with translation.override(_language(job)):
            for row in rows.filter(status=ImportRow.Status.WAITING).order_by("number")[
                : max(0, window() - in_flight)
            ]:
                if row.action == ImportRow.Action.UPDATE:
                    row.operation = _feed_update(job, row, positions)
                    if row.operation is None:  # refused before sending: a row error
                        row.action, row.status = ImportRow.Action.INVALID, ImportRow.Status.NOT_SENT
                        row.save(update_fields=["action", "status", "errors"])
                        fed += 1  # handled: the next feed goes on with the rows after it
                        continue
                else:
                    row.operation = starter(
                        organization=job.organization,
                        user=job.created_by,
                        data=row.data,
                        idempotency_key=job.idempotency_key(row.number),
                        lane=Lane.BULK,
                    )
                row.status = ImportRow.Status.SENT
                row.save(update_fields=["operation", "status"])
                fed += 1
        now = timezone.now()
        job.pumped_at = now
        busy = (
            fed > 0
            or rows.filter(status=ImportRow.Status.WAITING).exists()
            or rows.filter(status=ImportRow.Status.SENT, operation__state__in=ACTIVE).exists()
        )
        if not busy:
            job.state = ImportJob.State.DONE
            job.finished_at = now
        job.save(update_fields=["pumped_at", "state", "finished_at"])
        # Eager Celery (tests) runs the fed operations inline before the next feed; a feed that
        # found nothing to do would only call itself again at once.
        if busy and (fed or not current_app.conf.task_always_eager):
            _enqueue_pump(job.pk, countdown=float(getattr(settings, "IMPORT_PUMP_SECONDS", 1.0)))
    return busy


def _feed_update(job: ImportJob, row: ImportRow, positions: dict[int, str]) -> Operation | None:
    """The row's edit of its matched record. The base is the mirror's record as it is now:
    a field someone changed in Lexware since the last sync, which the row sets to something
    else, ends the row failed with a conflict (edits.py), nothing is overwritten blindly.

    None (with `row.errors` set) for a row that cannot update its record at all: a company
    row matching a person contact or the reverse (Lexware holds one of the two, §5.5)."""
    record = (
        MIRRORS[job.kind]
        .objects.filter(organization=job.organization, lexware_id=row.matched_id)
        .first()
    )
    raw = dict(record.raw or {}) if record is not None else {}
    version = raw.get("version", record.version if record is not None else None)
    cells = {
        key: unescape_cell(row.cells[pos]) for pos, key in positions.items() if pos < len(row.cells)
    }
    if job.kind == CONTACTS and raw and ("company" in row.data) != ("company" in raw):
        message = (
            gettext("The existing contact is a person; a row cannot turn it into a company.")
            if "company" in row.data
            else gettext("The existing contact is a company; a row cannot turn it into a person.")
        )
        row.errors = [["company_name", message]]
        return None
    return UPDATERS[job.kind](
        organization=job.organization,
        user=job.created_by,
        lexware_id=row.matched_id,
        data=UPDATE_DATA[job.kind](cells=cells, created=row.data, record=raw),
        # No mirror copy left (deleted meanwhile): no base, so any difference is a conflict.
        base_version=int(version) if version is not None else -1,
        idempotency_key=job.idempotency_key(row.number),
        lane=Lane.BULK,
    )


def import_pump_stale(*, quiet_seconds: float = 60) -> int:
    """Beat: feed running jobs whose feeder went quiet (a message lost with a broker restart)."""
    quiet = timezone.now() - timedelta(seconds=quiet_seconds)
    count = 0
    for job_id in ImportJob.objects.filter(
        state=ImportJob.State.RUNNING, pumped_at__lt=quiet
    ).values_list("pk", flat=True)[:200]:
        with transaction.atomic():
            _enqueue_pump(job_id)
        count += 1
    return count
