"""The worker side of the console: one request as typed, its answer kept for the page.

Any status Lexware answers is the answer to show (a 404 or a 406 is what the admin asked to
see), so status errors become the result. A 401 still goes to the runner, which marks the
connection. A write whose answer was lost raises AmbiguousWriteError before this code sees it:
the runner makes it `unknown`, and since no search can tell what an arbitrary call did, the
reconciler finds nothing and the operation fails asking to check in Lexware: never re-sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from lexware import errors as lx
from portal.audit.recorder import Action, record
from portal.console.answers import answer
from portal.console.services import CONSOLE_CALL, CONSOLE_READ
from portal.operations.models import Operation
from portal.operations.registry import operation_kind, write_kind

if TYPE_CHECKING:
    from lexware import LexwareClient


def _detail(operation: Operation) -> str:
    data = operation.input or {}
    return f"{data.get('method', '?')} {data.get('path', '')}"


def _call(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    data = operation.input
    method, path = str(data["method"]), str(data["path"])
    try:
        raw = client.request(method, path, params=data.get("query") or None, json=data.get("body"))
        result = answer(
            status=raw.status_code,
            headers=raw.headers,
            content=raw.content,
            elapsed_ms=raw.elapsed_ms,
        )
    except lx.AuthenticationError:
        raise
    except lx.APIStatusError as exc:
        # Lexware's error body (the client has already masked the key in it); no headers kept.
        result = answer(status=exc.status_code, body=exc.body if exc.body is not None else "")
    except lx.ResponseTooLargeError:
        result = {"status": 0, "too_large": True, "headers": [], "body": "", "size": 0}
    record(
        Action.CONSOLE_ANSWERED,
        actor=operation.created_by,
        system=operation.created_by_id is None,
        operation=operation,
        object_type="console",
        object_repr=f"{method} {path}"[:200],
        details={"method": method, "path": path, "status": result["status"]},
    )
    return {"answer": result}


@operation_kind(
    CONSOLE_READ,
    label=gettext_lazy("API console call"),
    detail=_detail,
)
def console_read(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    return _call(operation, client)


def _nothing_to_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    return {}


def _cannot_tell(operation: Operation, client: LexwareClient) -> str | None:
    return None


@write_kind(
    CONSOLE_CALL,
    label=gettext_lazy("API console change"),
    read_back=_nothing_to_read_back,
    reconcile=_cannot_tell,
)
def console_call(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    return _call(operation, client)
