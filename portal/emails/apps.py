from __future__ import annotations

from django.apps import AppConfig


class EmailsConfig(AppConfig):
    name = "portal.emails"
    label = "emails"
