"""Operation kinds and the functions that carry them out.

A handler gets the Operation and a Lexware client and returns the result to store. Each kind
says whether running it twice is harmless (`repeatable`: reads, and PUTs guarded by a
version). A kind that is not repeatable (a POST that creates something) is never run a second
time after it may have been sent; its `reconcile` looks in Lexware for what the first attempt
created and returns the Lexware id it found, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lexware import LexwareClient
    from portal.operations.models import Operation

Handler = Callable[["Operation", "LexwareClient"], dict[str, Any]]
Reconciler = Callable[["Operation", "LexwareClient"], "str | None"]


@dataclass(frozen=True)
class OperationKind:
    name: str
    handler: Handler
    repeatable: bool
    reconcile: Reconciler | None = None
    # Works without a verified connection (verifying the connection itself).
    needs_usable_connection: bool = True


KINDS: dict[str, OperationKind] = {}


def operation_kind(
    name: str,
    *,
    repeatable: bool,
    reconcile: Reconciler | None = None,
    needs_usable_connection: bool = True,
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        KINDS[name] = OperationKind(name, handler, repeatable, reconcile, needs_usable_connection)
        return handler

    return register


def get_kind(name: str) -> OperationKind:
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(f"no operation kind {name!r} is registered") from None


class OperationFailed(Exception):
    """A handler's verdict that the operation failed for good, with a message for the user."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
