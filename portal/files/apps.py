from __future__ import annotations

from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "portal.files"
    label = "files"

    def ready(self) -> None:
        # Connects the fetch-after-change receiver to the documents mirror's signal.
        from portal.files import receivers  # noqa: F401
