"""Runs Operations: claim the row, call Lexware, record the outcome. Safe to call twice.

Claiming marks the row `running` with a lease and commits before any Lexware call, so:
- a duplicate delivery of the task finds the row running (lease alive) or finished and does
  nothing (reliability.md R10);
- a worker killed mid-call leaves the row running; when its lease has expired the sweeper
  either runs it again (repeatable kinds) or marks it `unknown` and reconciles (creates),
  so nothing is lost and nothing is created twice (R3, R4, R11).
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lexware import errors as lx
from lexware.ratelimit import LimiterUnavailable, RateLimitTimeout
from portal.core.crypto import DecryptionError
from portal.operations.auditing import operation_finished
from portal.operations.clients import client_for_connection
from portal.operations.models import Lane, Operation, OperationState
from portal.operations.queue import enqueue, enqueue_on_commit, enqueue_reconcile
from portal.operations.registry import KINDS, OperationFailed, OperationKind, get_kind
from portal.organizations.models import ConnectionStatus, LexwareConnection

if TYPE_CHECKING:
    from lexware import LexwareClient

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def lease_seconds() -> int:
    return int(getattr(settings, "OPERATION_LEASE_SECONDS", 240))


def _claim(operation_id: int) -> Operation | None:
    with transaction.atomic():
        op = Operation.objects.select_for_update().filter(pk=operation_id).first()
        if op is None or op.state != OperationState.PENDING:
            return None
        now = timezone.now()
        if op.not_before and op.not_before > now + timedelta(seconds=1):
            return None  # an early duplicate of a delayed retry; the delayed task will come
        op.state = OperationState.RUNNING
        op.attempts += 1
        op.started_at = now
        op.not_before = now + timedelta(seconds=lease_seconds())  # the lease
        op.save(update_fields=["state", "attempts", "started_at", "not_before", "updated_at"])
        return op


def _finish(op: Operation, state: str, **fields: Any) -> None:
    op.state = state
    op.finished_at = (
        timezone.now() if state in (OperationState.SUCCEEDED, OperationState.FAILED) else None
    )
    op.not_before = None
    for name, value in fields.items():
        setattr(op, name, value)
    op.save()
    operation_finished(op)


def _retry_later(op: Operation, reason: str) -> None:
    """Back to pending with a delay; the task is enqueued again (countdown ≤ visibility timeout)."""
    if op.attempts >= MAX_ATTEMPTS:
        _finish(
            op,
            OperationState.FAILED,
            error_message=_("Gave up after %(attempts)d attempts: %(reason)s")
            % {"attempts": op.attempts, "reason": reason},
        )
        return
    delay = min(300, 2**op.attempts) + random.uniform(0, 1)
    op.state = OperationState.PENDING
    op.not_before = timezone.now() + timedelta(seconds=delay)
    op.error_message = reason
    op.save(update_fields=["state", "not_before", "error_message", "updated_at"])
    enqueue(op.pk, countdown=delay)


def _schedule_reconcile(operation_id: int, *, countdown: float | None = None) -> None:
    enqueue_reconcile(operation_id, countdown=reconcile_delay() if countdown is None else countdown)


def _mark_unknown(
    op: Operation, message: str, *, resource: str, sent_at: Any, countdown: float | None = None
) -> None:
    """The call may have reached Lexware: never resend it; look for what it made instead."""
    _finish(
        op,
        OperationState.UNKNOWN,
        error_message=message,
        reconciliation={"resource": resource, "sent_at": sent_at.isoformat(), "checks": 0},
    )
    _schedule_reconcile(op.pk, countdown=countdown)


def _transient(exc: BaseException) -> bool:
    """Lexware did not act on the request: it is safe to send it again later."""
    return isinstance(
        exc,
        (
            lx.RateLimitError,
            lx.APIConnectionError,
            lx.InternalServerError,
            RateLimitTimeout,
            LimiterUnavailable,
        ),
    )


def _record_write(op: Operation, outcome: dict[str, Any]) -> None:
    """Commit the write's outcome before anything else can fail: from here on the runner only
    ever reads back, it never writes again."""
    op.written_at = timezone.now()
    op.result = outcome
    if outcome.get("id") and not op.target_id:
        op.target_id = str(outcome["id"])[:64]
    op.save(update_fields=["written_at", "result", "target_id", "updated_at"])


def _record_sending(op: Operation, method: str) -> None:
    """A request that may change Lexware is about to leave: from now on a lost worker means
    "maybe sent" (reconcile), no longer "surely not sent" (run again). Committed at once."""
    if method in ("GET", "HEAD") or op.sending_at is not None:
        return
    op.sending_at = timezone.now()
    Operation.objects.filter(pk=op.pk).update(sending_at=op.sending_at)


def _forget_sending(op: Operation) -> None:
    """Lexware did not act on the write (a 429, a 5xx before processing, no connection):
    it is again surely not sent."""
    if op.written_at is None and op.sending_at is not None:
        op.sending_at = None
        Operation.objects.filter(pk=op.pk).update(sending_at=None)


def _run_handler(op: Operation, kind: OperationKind, client: LexwareClient) -> dict[str, Any]:
    """Repeatable kinds run whole; write kinds run the write once, then the read-back phase."""
    if kind.repeatable:
        return kind.handler(op, client)
    if op.written_at is None:
        client.before_send(lambda method, _path: _record_sending(op, method))
        try:
            outcome = kind.handler(op, client)
        finally:
            client.before_send(None)
        _record_write(op, outcome)
    assert kind.read_back is not None  # every write kind declares one
    try:
        return {**op.result, **kind.read_back(op, client)}
    except (
        lx.NotFoundError,
        lx.ValidationError,
        lx.BadRequestError,
        lx.ConflictError,
        OperationFailed,
    ) as exc:
        # The write happened; only the copy into the mirror failed for good. The webhook and
        # the reconciliation sync bring the resource later: the operation itself succeeded.
        logger.warning(
            "operation %s: written, but reading it back failed (%s)", op.pk, type(exc).__name__
        )
        return {**op.result, "read_back_error": str(getattr(exc, "message", exc))[:500]}


def _language_of(op: Operation) -> str:
    """Messages stored on an operation read in the language it was started in (the page's
    language; the default, German, for scheduled work)."""
    return op.language or settings.LANGUAGE_CODE


def execute(operation_id: int) -> None:
    op = _claim(operation_id)
    if op is None:
        return
    with translation.override(_language_of(op)):
        _execute(op)


def _execute(op: Operation) -> None:
    try:
        kind = get_kind(op.kind)
    except LookupError:
        # A kind this process does not know (a deploy that removed it, or a worker started
        # without the handlers): say so on the operation instead of crashing the task.
        _finish(
            op,
            OperationState.FAILED,
            error_message=_("This kind of operation is unknown to the worker."),
        )
        logger.error("operation %s: no handler for kind %r", op.pk, op.kind)
        return
    connection = LexwareConnection.objects.filter(organization_id=op.organization_id).first()
    if connection is None:
        _finish(
            op,
            OperationState.FAILED,
            error_message=_("This organization has no Lexware connection."),
        )
        return
    if kind.needs_usable_connection and not connection.is_usable:
        _finish(
            op,
            OperationState.FAILED,
            error_message=_("The Lexware connection is not usable (%(status)s).")
            % {"status": connection.get_status_display()},
        )
        return
    try:
        client = client_for_connection(connection, lane=op.lane, operation_id=op.pk)
    except DecryptionError:
        # K3: fail fast with a clear message, no retry storm; other organizations carry on.
        connection.set_status(
            ConnectionStatus.NEEDS_REENTRY, _("The stored API key cannot be decrypted.")
        )
        _finish(
            op, OperationState.FAILED, error_message=_("The Lexware API key must be entered again.")
        )
        return
    try:
        with client:
            result = _run_handler(op, kind, client)
    except lx.AmbiguousWriteError as exc:
        logger.warning("operation %s: outcome unknown (%s)", op.pk, type(exc).__name__)
        _mark_unknown(
            op,
            _("Lexware did not confirm this in time. We are checking whether it was created."),
            resource=exc.resource,
            sent_at=exc.sent_at,
        )
    except OperationFailed as exc:
        extra = {} if exc.result is None else {"result": exc.result}
        _finish(
            op,
            OperationState.FAILED,
            error_message=exc.message,
            field_errors=exc.field_errors,
            **extra,
        )
    except (lx.ValidationError, lx.ConflictError, lx.BadRequestError, lx.NotFoundError) as exc:
        _finish(op, OperationState.FAILED, error_message=exc.message, field_errors=exc.field_errors)
    except lx.AuthenticationError as exc:
        connection.set_status(ConnectionStatus.INVALID_KEY, exc.message)
        _finish(op, OperationState.FAILED, error_message=_("Lexware rejected the API key (401)."))
    except (lx.PermissionDeniedError, lx.PaymentRequiredError) as exc:
        _finish(
            op,
            OperationState.FAILED,
            error_message=_("Lexware refused this (%(status)s): %(message)s")
            % {"status": exc.status_code, "message": exc.message},
        )
    except Exception as exc:
        if _transient(exc):
            # A write kind gets here only before its write was sent, or in its read-back phase:
            # an ambiguous write raised AmbiguousWriteError above.
            _forget_sending(op)
            _retry_later(
                op,
                _("Lexware is temporarily unavailable (%(reason)s).")
                % {"reason": type(exc).__name__},
            )
        elif isinstance(exc, (OperationalError, InterfaceError)):
            # R9: PostgreSQL went away under the handler (a restart, a failover); nothing is
            # wrong with the operation. A read runs again. A write may already have reached
            # Lexware, and whether its outcome was recorded cannot be told from memory: it is
            # reconciled, never re-sent. If the database is still down, saving this raises
            # again; the row then stays running and the sweeper settles it after its lease.
            logger.warning("operation %s: database unavailable (%s)", op.pk, type(exc).__name__)
            if kind.repeatable:
                _retry_later(
                    op,
                    _("The database was briefly unavailable; the operation will be tried again."),
                )
            else:
                _mark_unknown(
                    op,
                    _(
                        "The database was briefly unavailable. We are checking whether it was created."
                    ),
                    resource=op.kind,
                    sent_at=op.started_at or timezone.now(),
                )
        elif isinstance(exc, SoftTimeLimitExceeded):
            if kind.repeatable or op.written_at is not None or op.sending_at is None:
                _retry_later(op, _("The operation took too long and will be tried again."))
            else:
                _mark_unknown(
                    op,
                    _("Lexware did not answer in time. We are checking whether it was created."),
                    resource=op.kind,
                    sent_at=op.started_at or timezone.now(),
                )
        else:
            logger.exception("operation %s (%s) crashed", op.pk, op.kind)
            _finish(
                op,
                OperationState.FAILED,
                error_message=_("An internal error stopped this operation."),
            )
    else:
        _finish(op, OperationState.SUCCEEDED, result=result, error_message="", field_errors={})


def reconcile_delay() -> float:
    return float(getattr(settings, "OPERATION_RECONCILE_DELAY", 15))


def reconcile(operation_id: int) -> None:
    """Look in Lexware for what an ambiguous create made; adopt it, or fail visibly.

    Never re-sends the create: if nothing is found after a few checks (Lexware may need a
    moment to list a new document) the operation fails with a message asking staff to check,
    and its input stays for a deliberate resubmission.
    """
    with transaction.atomic():
        op = (
            Operation.objects.select_for_update()
            .filter(pk=operation_id, state=OperationState.UNKNOWN)
            .first()
        )
        if op is None:
            return
        with translation.override(_language_of(op)):
            _reconcile(op)


def _reconcile(op: Operation) -> None:
    """The reconciler's check; the caller holds the row lock in its transaction."""
    kind = get_kind(op.kind)
    connection = LexwareConnection.objects.filter(organization_id=op.organization_id).first()
    if connection is None:
        _finish(
            op,
            OperationState.FAILED,
            error_message=_("This organization has no Lexware connection."),
        )
        return
    checks = int(op.reconciliation.get("checks", 0)) + 1
    try:
        with client_for_connection(connection, lane=Lane.INTERACTIVE, operation_id=op.pk) as client:
            found = kind.reconcile(op, client) if kind.reconcile else None
    except (lx.LexwareError, RateLimitTimeout, LimiterUnavailable, DecryptionError) as exc:
        op.reconciliation = {
            **op.reconciliation,
            "checks": checks,
            "last_error": type(exc).__name__,
        }
        op.save(update_fields=["reconciliation", "updated_at"])
        found, retry = None, True
    else:
        retry = False
    if found:
        # Adopt it as if the write had answered, then read it back like any write.
        op.reconciliation = {**op.reconciliation, "checks": checks, "found": found}
        op.state = OperationState.PENDING
        op.not_before = None
        op.error_message = ""
        op.save(
            update_fields=["reconciliation", "state", "not_before", "error_message", "updated_at"]
        )
        _record_write(op, {"id": found, "adopted": True})
        enqueue_on_commit(op.pk)
        return
    if retry or checks < 3:
        op.reconciliation = {**op.reconciliation, "checks": checks}
        op.save(update_fields=["reconciliation", "updated_at"])
        _schedule_reconcile(op.pk)
        return
    op.reconciliation = {**op.reconciliation, "checks": checks, "found": None}
    _finish(
        op,
        OperationState.FAILED,
        error_message=_(
            "Lexware did not confirm this and it cannot be found there. "
            "Please check in Lexware before sending it again."
        ),
    )


def sweep(now: Any = None) -> dict[str, int]:
    """Re-enqueue pending rows whose message may be lost; settle running rows whose lease expired."""
    now = now or timezone.now()
    counts = {"requeued": 0, "rerun": 0, "unknown": 0, "reconcile": 0}
    stale_pending = now - timedelta(
        seconds=int(getattr(settings, "OPERATION_PENDING_GRACE_SECONDS", 120))
    )
    pending_due = Q(not_before__isnull=True) | Q(not_before__lte=now)
    for op_id in Operation.objects.filter(
        pending_due, state=OperationState.PENDING, updated_at__lt=stale_pending
    ).values_list("pk", flat=True)[:500]:
        if enqueue(op_id):
            counts["requeued"] += 1
    for op in Operation.objects.filter(state=OperationState.RUNNING, not_before__lt=now)[:500]:
        with transaction.atomic(), translation.override(_language_of(op)):
            locked = (
                Operation.objects.select_for_update()
                .filter(pk=op.pk, state=OperationState.RUNNING)
                .first()
            )
            if locked is None:
                continue
            if locked.attempts >= MAX_ATTEMPTS:
                # R6: an operation whose every attempt took its worker down is a poison
                # message; stop after MAX_ATTEMPTS and say so instead of looping forever.
                _finish(
                    locked,
                    OperationState.FAILED,
                    error_message=_("Stopped after %(attempts)d attempts that never finished.")
                    % {"attempts": locked.attempts},
                )
                counts["gave_up"] = counts.get("gave_up", 0) + 1
            elif locked.kind not in KINDS:
                _finish(
                    locked,
                    OperationState.FAILED,
                    error_message=_("This kind of operation is unknown to the worker."),
                )
            elif (
                KINDS[locked.kind].repeatable
                or locked.written_at is not None
                or locked.sending_at is None
            ):
                # Repeatable; a write whose write is on record (only the read-back reruns); or
                # a write that never left (the worker died before sending, e.g. while it waited
                # for the rate limiter): it is run again, since nothing can have reached Lexware.
                locked.state = OperationState.PENDING
                locked.not_before = None
                locked.save(update_fields=["state", "not_before", "updated_at"])
                enqueue_on_commit(locked.pk)
                counts["rerun"] += 1
            else:
                _mark_unknown(
                    locked,
                    _(
                        "The worker stopped while sending this to Lexware. We are checking whether it was created."
                    ),
                    resource=locked.kind,
                    sent_at=locked.started_at or now,
                    countdown=0,
                )
                counts["unknown"] += 1
    stale_unknown = now - timedelta(seconds=max(60.0, reconcile_delay() * 4))
    for op_id in Operation.objects.filter(
        state=OperationState.UNKNOWN, updated_at__lt=stale_unknown
    ).values_list("pk", flat=True)[:500]:
        enqueue_reconcile(op_id, countdown=0)
        counts["reconcile"] += 1
    return counts
