"""Operators' writes: retry a failed repeatable operation, settle an `unknown` one by hand,
re-run an organization's subscription check. Each one is in the audit trail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.core.errors import ApplicationError
from portal.operations.models import Operation, OperationState
from portal.operations.registry import KINDS
from portal.operations.services import operation_start
from portal.organizations.models import Organization
from portal.sync.services import subscriptions_ensure


def operation_retryable(operation: Operation) -> bool:
    kind = KINDS.get(operation.kind)
    return operation.state == OperationState.FAILED and kind is not None and kind.repeatable


@transaction.atomic
def operation_retry(*, operator: User, operation: Operation) -> Operation:
    """A new operation with the same kind, input and target; the failed one stays as it was
    (its history is the record of what went wrong). Write kinds are never retried here: a
    write that may have happened must not be sent twice."""
    if not operation_retryable(operation):
        raise ApplicationError(_("Only a failed operation that is safe to repeat can be retried."))
    retry = operation_start(
        organization=operation.organization,
        kind=operation.kind,
        user=operator,
        input=operation.input,
        target_type=operation.target_type,
        target_id=operation.target_id,
        lane=operation.lane,
    )
    record(
        Action.OPERATION_RETRIED,
        actor=operator,
        operation=operation,
        object_type="operation",
        object_id=operation.code,
        details={"kind": operation.kind, "new_operation": str(retry.code)},
    )
    return retry


@transaction.atomic
def operation_resolve(
    *, operator: User, operation: Operation, outcome: str, comment: str, lexware_id: Any = None
) -> Operation:
    """An operator settles an operation whose outcome is unknown, after looking in Lexware."""
    locked = Operation.objects.select_for_update().get(pk=operation.pk)
    if locked.state != OperationState.UNKNOWN:
        raise ApplicationError(_("This operation is no longer waiting for its outcome."))
    if outcome not in (OperationState.SUCCEEDED, OperationState.FAILED):
        raise ApplicationError(_("Unknown outcome."))
    now = timezone.now()
    locked.reconciliation = {
        **locked.reconciliation,
        "resolved_by": operator.email,
        "resolved_at": now.isoformat(),
        "comment": comment,
        "outcome": outcome,
    }
    locked.state = outcome
    locked.finished_at = now
    locked.not_before = None
    if outcome == OperationState.SUCCEEDED:
        locked.error_message = ""
        if lexware_id:
            locked.target_id = str(lexware_id)
            locked.result = {**locked.result, "id": str(lexware_id)}
    else:
        locked.error_message = _("Not done in Lexware (settled by an operator): %(comment)s") % {
            "comment": comment
        }
    locked.save()
    record(
        Action.OPERATION_RESOLVED,
        actor=operator,
        operation=locked,
        object_type="operation",
        object_id=locked.code,
        details={
            "kind": locked.kind,
            "outcome": outcome,
            "comment": comment,
            "lexware_id": str(lexware_id or ""),
        },
    )
    return locked


@transaction.atomic
def subscriptions_check(*, operator: User, organization: Organization) -> Operation:
    operation = subscriptions_ensure(organization=organization, user=operator)
    record(
        Action.SUBSCRIPTIONS_CHECKED,
        actor=operator,
        organization=organization,
        operation=operation,
        object_type="subscriptions",
    )
    return operation
