from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"

    def ready(self) -> None:
        # Sign-in, sign-out and failures (Django auth, axes) and beat's runs are recorded
        # from signals: no view of another app needs to know.
        from portal.audit import errors, signals  # noqa: F401
