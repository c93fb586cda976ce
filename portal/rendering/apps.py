from __future__ import annotations

from django.apps import AppConfig


class RenderingConfig(AppConfig):
    name = "portal.rendering"
    label = "rendering"

    def ready(self) -> None:
        # Drops a draft's previews when the mirror learns the draft changed.
        from portal.rendering import receivers  # noqa: F401
