"""Control API under `/_simulator/` (placeholder, completed below)."""

from __future__ import annotations

from lexware.simulator.routing import Request, Response


def handle_control(sim: object, req: Request) -> Response:
    return Response.json(404, {"message": "unknown control endpoint"})
