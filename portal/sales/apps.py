from __future__ import annotations

from django.apps import AppConfig


class SalesConfig(AppConfig):
    """The sales document editor: one form for every type Lexware lets the API create.

    Above the business areas (it reads the contacts and articles mirrors and writes through
    the documents mirror's writers), below the sync."""

    name = "portal.sales"
    label = "sales"
