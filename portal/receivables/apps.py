from __future__ import annotations

from django.apps import AppConfig


class ReceivablesConfig(AppConfig):
    name = "portal.receivables"
    label = "receivables"
