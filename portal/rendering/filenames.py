"""Names of rendered PDFs as people receive them: in the language they read (the e-mail's
attachment in the statement's language, a download in the page's)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override


def statement_filename(language: str, *, day: date | None = None) -> str:
    """Kontoauszug-2026-11-28.pdf, Statement-2026-11-28.pdf."""
    with override(language):
        return f"{_('Statement')}-{day or timezone.localdate()}.pdf"
