"""Django format modules (FORMAT_MODULE_PATH): dates that Django itself renders (`|date`
without a format, the admin, form widgets) read like portal.core.templatetags.formatting's
filters, so each language shows one date format everywhere. Anything not set here falls back
to Django's own module for the language (e.g. DATE_INPUT_FORMATS: `28.11.2026` in German)."""

from __future__ import annotations
