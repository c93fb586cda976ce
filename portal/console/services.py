"""Starting a console call: an Operation of the interactive lane, run by a worker (never by
the page). Reads are `console.read` (safe to repeat); anything else is `console.call`, a write
kind: sent at most once (DESIGN.md §7)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start
from portal.organizations.models import Organization

CONSOLE_READ = "console.read"
CONSOLE_CALL = "console.call"
CONSOLE_KINDS = (CONSOLE_READ, CONSOLE_CALL)


@transaction.atomic
def console_call_start(
    *,
    organization: Organization,
    user: User,
    method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    idempotency_key: str,
) -> Operation:
    kind = CONSOLE_READ if method == "GET" else CONSOLE_CALL
    data: dict[str, Any] = {"method": method, "path": path, "query": query}
    if body is not None:
        data["body"] = body
    key = f"console-{idempotency_key}"[:64]
    if Operation.objects.filter(organization=organization, idempotency_key=key).exists():
        # A double submit of one rendered form: the first call, recorded once.
        return Operation.objects.get(organization=organization, idempotency_key=key)
    operation = operation_start(
        organization=organization,
        kind=kind,
        user=user,
        input=data,
        target_type="console",
        lane=Lane.INTERACTIVE,
        idempotency_key=key,
    )
    record(
        Action.CONSOLE_CALL,
        actor=user,
        organization=organization,
        operation=operation,
        object_type="console",
        object_repr=f"{method} {path}"[:200],
        details={"method": method, "path": path, "query": query, "with_body": body is not None},
    )
    return operation
