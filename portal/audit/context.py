"""Who is acting in this request, so that record() needs no request argument.

The middleware sets it after authentication; services deep below a view (connection_save,
membership_role_change, operation_start) then record the person and network without being
handed the request. Workers and beat have no context: their events are the system's.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any | None
    ip_prefix: str = ""


_current: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


def current() -> Actor | None:
    return _current.get()


def set_current(actor: Actor | None) -> Any:
    return _current.set(actor)


def reset(token: Any) -> None:
    _current.reset(token)


def ip_prefix(address: str) -> str:
    """203.0.113.7 → 203.0.113.0/24; IPv6 → its /48. A full address is more than we need."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))
