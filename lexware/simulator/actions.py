"""The *action result* of a create/update (lexware-api.md §1.4) and the public base URL."""

from __future__ import annotations

from typing import Any

from lexware.simulator.routing import Context, Response


def resource_uri(ctx: Context, path: str) -> str:
    """Absolute URL of a resource path like "/v1/contacts/<id>" on the simulated gateway."""
    return ctx.sim.base_url.rstrip("/") + path


def action_result(
    ctx: Context,
    path: str,
    record: dict[str, Any],
    *,
    status: int = 201,
    created: bool | None = None,
) -> Response:
    """`{id, resourceUri, createdDate, updatedDate, version}`. A creation also sets `Location`
    (since 16.09.2024); `created` defaults to `status == 201` (contacts create with 200 per
    Appendix A, so they pass `created=True`)."""
    uri = resource_uri(ctx, path)
    body = {
        "id": record["id"],
        "resourceUri": uri,
        "createdDate": record.get("createdDate") or record.get("_createdDate"),
        "updatedDate": record.get("updatedDate") or record.get("_updatedDate"),
        "version": record.get("version", 0),
    }
    is_creation = status == 201 if created is None else created
    headers = [("Location", uri)] if is_creation else []
    return Response.json(status, body, headers)
