from __future__ import annotations

from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    """Lexware's reference data (countries, payment conditions, posting categories, print
    layouts, profile), mirrored per organization. Below the business areas, which all read it;
    the sync writes it."""

    name = "portal.reference"
    label = "reference"
