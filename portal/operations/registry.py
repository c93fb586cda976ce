"""Operation kinds: what the worker does for each kind of Operation.

Kinds are declared in each area's `handlers.py` (found at startup by
`portal.operations.apps.OperationsConfig.ready`, in web and worker processes alike) and come
in two shapes:

- A *repeatable* kind (`@operation_kind(name, repeatable=True)` on a handler): running it twice
  is harmless (reads, refreshes, PUTs guarded by a version, convergent list-then-create loops),
  so the runner simply runs the handler again after a transient failure.
- A *write* kind (`@write_kind(name, read_back=..., reconcile=...)` on the write function): the
  write function makes exactly ONE request that may change Lexware and returns at once what it
  learnt (at least the new resource's `id`). The runner records that outcome before anything
  else happens and never calls the write function again for this operation. Reading the new
  resource back into the mirror is `read_back`, a separate phase the runner retries on its own.
  When the write's outcome is unknown (timeout, 5xx, a worker lost mid-call) the kind's
  `reconcile` looks in Lexware for what the write created and returns its id, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from lexware import LexwareClient
    from portal.operations.models import Operation

Handler = Callable[["Operation", "LexwareClient"], dict[str, Any]]
Reconciler = Callable[["Operation", "LexwareClient"], "str | None"]
ResultUrl = Callable[["Operation"], "str | None"]


@dataclass(frozen=True)
class OperationKind:
    name: str
    # What the operation does, in words, for the operations pages ("Kontakt anlegen").
    label: str | Promise
    # Repeatable kinds: the whole job. Write kinds: the one request that may change Lexware.
    handler: Handler
    repeatable: bool
    # Write kinds only: the repeatable phase after the write (read the result into the mirror).
    read_back: Handler | None = None
    reconcile: Reconciler | None = None
    # Where the user finds what a succeeded operation made or refreshed.
    result_url: ResultUrl | None = None
    # Write kinds started from a form: that form reopened with the operation's input.
    edit_url: ResultUrl | None = None
    # Works without a verified connection (verifying the connection itself).
    needs_usable_connection: bool = True
    # What this one operation is about, after the label ("Abgleichschritt – Kontakte").
    detail: Callable[[Operation], str | Promise | None] | None = None

    @property
    def is_write(self) -> bool:
        return not self.repeatable


KINDS: dict[str, OperationKind] = {}


def _register(kind: OperationKind) -> None:
    existing = KINDS.get(kind.name)
    if existing is not None and existing.handler.__qualname__ != kind.handler.__qualname__:
        raise ValueError(f"operation kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind


def operation_kind(
    name: str,
    *,
    label: str | Promise,
    repeatable: bool = True,
    result_url: ResultUrl | None = None,
    needs_usable_connection: bool = True,
    detail: Callable[[Operation], str | Promise | None] | None = None,
) -> Callable[[Handler], Handler]:
    """Register a repeatable kind. Kinds that create something use `write_kind` instead."""
    if not repeatable:
        raise ValueError(
            f"{name}: a kind that is not repeatable must be declared with write_kind()"
        )

    def register(handler: Handler) -> Handler:
        _register(
            OperationKind(
                name,
                label,
                handler,
                True,
                result_url=result_url,
                needs_usable_connection=needs_usable_connection,
                detail=detail,
            )
        )
        return handler

    return register


def write_kind(
    name: str,
    *,
    label: str | Promise,
    read_back: Handler,
    reconcile: Reconciler,
    result_url: ResultUrl | None = None,
    edit_url: ResultUrl | None = None,
) -> Callable[[Handler], Handler]:
    """Register a kind whose handler sends one request that may change Lexware (a POST)."""

    def register(write: Handler) -> Handler:
        _register(
            OperationKind(
                name,
                label,
                write,
                False,
                read_back=read_back,
                reconcile=reconcile,
                result_url=result_url,
                edit_url=edit_url,
            )
        )
        return write

    return register


def get_kind(name: str) -> OperationKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no operation kind {name!r} is registered") from None


def operation_label(operation: Operation) -> str:
    """The kind in words, with what this operation is about where the kind says."""
    kind = KINDS.get(operation.kind)
    if kind is None:
        return operation.kind
    detail = kind.detail(operation) if kind.detail else None
    return f"{kind.label} – {detail}" if detail else str(kind.label)


class OperationFailed(Exception):
    """A handler's verdict that the operation failed for good, with a message for the user."""

    def __init__(
        self,
        message: str | Promise,
        field_errors: dict[str, str] | None = None,
        *,
        result: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field_errors = field_errors or {}
        # Kept as the operation's result: what the user needs to decide (an edit's conflict).
        self.result = result
