"""A faithful local implementation of the Lexware Office public API (see README.md).

sim = Simulator()
client = httpx.Client(transport=make_transport(sim), base_url="https://api.lexware.io")
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx

# The simulator renders PDFs (fpdf2) and signs webhooks (cryptography); the client needs neither,
# so both are the optional extra "simulator". Fail here with one clear message instead of an
# ImportError from deep inside app.py.
_MISSING: list[str] = []
for _module, _package in (("fpdf", "fpdf2"), ("cryptography", "cryptography")):
    try:
        importlib.import_module(_module)
    except ImportError:
        _MISSING.append(_package)
if _MISSING:
    raise ImportError(
        f"lexware.simulator needs {', '.join(_MISSING)}: pip install 'lexware-portal[simulator]'"
    )

from lexware.simulator.app import DropConnection, Simulator  # noqa: E402 (after the check)


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
