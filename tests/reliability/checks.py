"""What the reliability tests read back at the end: operation states from the database,
and POSTs and contacts from the simulator (its request log and its API)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from portal.operations.models import Operation, OperationState
from tests.reliability.rig import wait_until


def state(op: Operation) -> str:
    op.refresh_from_db()
    return op.state


def lease_over(op: Operation) -> bool:
    """No longer running, or running past its lease (the sweeper may settle it)."""
    op.refresh_from_db()
    return op.state != OperationState.RUNNING or (
        op.not_before is not None and op.not_before < timezone.now()
    )


def finished(op: Operation, timeout: float = 45) -> Operation:
    def done() -> Operation | None:
        return op if state(op) in (OperationState.SUCCEEDED, OperationState.FAILED) else None

    result: Operation = wait_until(
        done, timeout=timeout, what=lambda: f"operation {op.pk} to finish (state {op.state})"
    )
    return result


def posts(simulator: Any, api_key: str, path: str = "/v1/contacts") -> list[dict[str, Any]]:
    return [
        r
        for r in simulator.requests(api_key)
        if r["method"] == "POST" and r["path"].rstrip("/") == path
    ]


def contacts_named(simulator: Any, api_key: str, name: str) -> list[dict[str, Any]]:
    response = simulator.api("GET", "contacts", api_key, params={"name": name})
    response.raise_for_status()
    return [c for c in response.json()["content"] if c.get("company", {}).get("name") == name]
