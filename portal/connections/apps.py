from __future__ import annotations

from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    """An organization's Lexware connection: the key form, verification and its status page.
    The LexwareConnection model itself lives in `organizations` (everything reads it)."""

    name = "portal.connections"
    label = "connections"
