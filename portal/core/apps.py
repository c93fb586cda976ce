from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _german_collation_for_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite (the embedded demo database) has no ICU: the collation the selectors order by
    (GERMAN_COLLATION) is a Python function there, with the same order for German names."""
    if connection.vendor != "sqlite":
        return
    from portal.core.mirror import GERMAN_COLLATION, german_sort_key

    def compare(left: str, right: str) -> int:
        a, b = german_sort_key(left), german_sort_key(right)
        return (a > b) - (a < b)

    connection.connection.create_collation(GERMAN_COLLATION, compare)


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(
            _german_collation_for_sqlite, dispatch_uid="portal-core-german-collation"
        )
