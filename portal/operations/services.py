"""Starting operations: the one way a request or a schedule asks a worker to call Lexware."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.operations.auditing import operation_started
from portal.operations.models import Lane, Operation, OperationState
from portal.operations.queue import enqueue_on_commit
from portal.operations.registry import get_kind
from portal.organizations.models import Organization

logger = logging.getLogger(__name__)

# Join an operation that has not started yet: it will still see the newest state in Lexware.
WAITING = (OperationState.PENDING,)
# Join one that is waiting or already running: for reads whose answer is good enough.
ACTIVE = (OperationState.PENDING, OperationState.RUNNING)


def operation_start(
    *,
    organization: Organization,
    kind: str,
    user: User | None = None,
    input: dict[str, Any] | None = None,
    target_type: str = "",
    target_id: str = "",
    lane: str = Lane.INTERACTIVE,
    idempotency_key: str | None = None,
    coalesce: Iterable[str] = (),
    coalesce_kinds: Iterable[str] = (),
) -> Operation:
    """Record an Operation in the caller's transaction and enqueue it once that commits.

    With an idempotency key (a form's one-time token) a second submission returns the
    first Operation instead of creating another (reliability.md R12).

    With `coalesce` (states such as WAITING or ACTIVE) an operation of the same kind (or of one
    of `coalesce_kinds`) for the same target in one of those states is returned instead of a
    new one: a burst of webhooks for one resource becomes one refresh (W6).
    """
    get_kind(kind)  # unknown kinds fail here, in the request, not later in a worker
    if idempotency_key:
        existing = Operation.objects.filter(
            organization=organization, idempotency_key=idempotency_key
        ).first()
        if existing is not None:
            return existing
    states = tuple(coalesce)
    if states:
        waiting = (
            Operation.objects.filter(
                organization=organization,
                kind__in=(kind, *coalesce_kinds),
                target_id=target_id,
                state__in=states,
            )
            .order_by("created_at")
            .first()
        )
        if waiting is not None:
            return waiting
    try:
        with transaction.atomic():
            operation = Operation.objects.create(
                organization=organization,
                kind=kind,
                created_by=user,
                input=input or {},
                target_type=target_type,
                target_id=target_id,
                lane=lane,
                idempotency_key=idempotency_key,
                language=(translation.get_language() or "")[:8],
            )
    except IntegrityError:
        # A concurrent submission with the same key won the race.
        return Operation.objects.get(organization=organization, idempotency_key=idempotency_key)
    operation_started(operation)
    enqueue_on_commit(operation.pk)
    return operation


def operation_for_key(*, organization: Organization, idempotency_key: str) -> Operation | None:
    """The operation a form's one-time token already started, if any (a double submit)."""
    return Operation.objects.filter(
        organization=organization, idempotency_key=idempotency_key
    ).first()


def operation_withdraw(
    *, organization: Organization, kind: str, code: str | UUID, reason: str
) -> None:
    """Stop a waiting write before it is sent, because the user sends corrected input instead.

    Raises ValidationError when that is too late (the write is under way or done): sending
    the corrected input as well could create the object twice. A failed or unknown code is
    left as it is.
    """
    with transaction.atomic():
        # The runner claims a row under the same lock, so a claimed row is never withdrawn.
        operation = (
            Operation.objects.select_for_update()
            .filter(organization=organization, kind=kind, code=code)
            .first()
        )
        if operation is None or operation.state == OperationState.FAILED:
            return
        if operation.state != OperationState.PENDING or operation.written_at is not None:
            raise ValidationError(
                _(
                    "The earlier submission can no longer be replaced: it has already been sent to Lexware (%(state)s). "
                    "Please check its outcome first."
                ),
                code="not_withdrawable",
                params={"state": operation.get_state_display()},
            )
        operation.state = OperationState.FAILED
        operation.finished_at = timezone.now()
        operation.not_before = None
        operation.error_message = reason
        operation.save(
            update_fields=["state", "finished_at", "not_before", "error_message", "updated_at"]
        )


def withdraw_replaced(
    *, organization: Organization, kind: str, replaces: str | UUID | None
) -> None:
    """A form's `replaces`: the waiting write whose input the user corrected and sends again is
    withdrawn in the caller's transaction, so the object is made (or changed) once. Nothing to
    do without one; ValidationError when it is too late (operation_withdraw)."""
    if replaces:
        operation_withdraw(
            organization=organization,
            kind=kind,
            code=replaces,
            reason=gettext("Replaced by a corrected submission."),
        )
