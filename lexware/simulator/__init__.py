"""A faithful local implementation of the Lexware Office public API (see README.md).

    sim = Simulator()
    client = httpx.Client(transport=make_transport(sim), base_url="https://api.lexware.io")
"""

from __future__ import annotations

from typing import Any

import httpx

from lexware.simulator.app import DropConnection, Simulator


class SimulatorTransport(httpx.WSGITransport):
    """In-process transport; a `drop` fault surfaces as the error a real socket close gives."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return super().handle_request(request)
        except DropConnection as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from exc


def make_transport(sim: Simulator, **kwargs: Any) -> httpx.WSGITransport:
    return SimulatorTransport(app=sim, **kwargs)


__all__ = ["Simulator", "make_transport"]
