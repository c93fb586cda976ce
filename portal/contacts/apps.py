from __future__ import annotations

from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "portal.contacts"
    label = "contacts"

    def ready(self) -> None:
        from portal.contacts import services  # noqa: F401  (registers contact.create)
