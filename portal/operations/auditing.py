"""The audit trail's view of operations: every Lexware write started and its outcome, and the
key check's result (portal.audit). Reads and syncs are not recorded: they change nothing."""

from __future__ import annotations

from portal.audit.recorder import Action, record
from portal.operations.models import Operation, OperationState
from portal.operations.registry import KINDS

# Repeatable kinds whose outcome matters to the trail: (action when done, action when failed).
_OUTCOMES = {"connection.verify": (Action.KEY_VERIFIED, Action.KEY_REJECTED)}
_WRITE_OUTCOMES = {
    OperationState.SUCCEEDED: Action.WRITE_SUCCEEDED,
    OperationState.FAILED: Action.WRITE_FAILED,
    OperationState.UNKNOWN: Action.WRITE_UNKNOWN,
}


def _is_write(operation: Operation) -> bool:
    kind = KINDS.get(operation.kind)
    return kind is not None and kind.is_write


def _record(action: str, operation: Operation) -> None:
    record(
        action,
        actor=operation.created_by,
        system=operation.created_by_id is None,
        operation=operation,
        object_type=operation.target_type,
        object_id=operation.target_id,
        details={"kind": operation.kind, "state": operation.state}
        | ({"error": operation.error_message} if operation.error_message else {}),
    )


def operation_started(operation: Operation) -> None:
    if _is_write(operation):
        _record(Action.WRITE_STARTED, operation)


def operation_finished(operation: Operation) -> None:
    if operation.kind in _OUTCOMES:
        done, failed = _OUTCOMES[operation.kind]
        if operation.state == OperationState.SUCCEEDED:
            _record(done, operation)
        elif operation.state == OperationState.FAILED:
            _record(failed, operation)
    elif _is_write(operation) and operation.state in _WRITE_OUTCOMES:
        _record(_WRITE_OUTCOMES[OperationState(operation.state)], operation)
