from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "portal.sync"
    label = "sync"

    def ready(self) -> None:
        from portal.organizations.signals import connection_verified

        connection_verified.connect(_on_connection_verified, dispatch_uid="sync-on-verified")


def _on_connection_verified(
    sender: Any, *, organization: Any, connection: Any, first_time: bool, **kwargs: Any
) -> None:
    """A newly connected organization gets its subscriptions and a full sync."""
    from portal.sync.services import subscriptions_ensure, sync_start

    subscriptions_ensure(organization=organization)
    if first_time:
        sync_start(organization=organization)
