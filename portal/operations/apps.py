from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "portal.operations"
    label = "operations"

    def ready(self) -> None:
        # Every installed app's handlers.py declares its operation kinds. Importing them here
        # (as the admin finds admin.py) registers every kind in web and worker processes alike,
        # whatever else the process loads or skips (URLconf, system checks).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("handlers")
        # The tasks too (Celery's own autodiscovery only runs in the worker): the queue looks
        # them up by name so that the runner need not import the tasks that call it.
        autodiscover_modules("tasks")
