from __future__ import annotations

from django.apps import AppConfig


class BookkeepingConfig(AppConfig):
    name = "portal.bookkeeping"
    label = "bookkeeping"
