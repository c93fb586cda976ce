"""Lexware's date formats (lexware-api.md §8.1): `yyyy-MM-ddTHH:mm:ss.SSSXXX` and `yyyy-MM-dd`."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_datetime(value: datetime) -> str:
    """Organisation-local (CET/CEST) timestamp with exactly three millisecond digits."""
    local = value.astimezone(BERLIN)
    text = local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{local.microsecond // 1000:03d}" + local.strftime("%z")
    return text[:-2] + ":" + text[-2:]


def parse_datetime(text: str) -> datetime:
    """Parse a Lexware timestamp; ValueError unless it matches the exact pattern."""
    if not isinstance(text, str) or not _TIMESTAMP.match(text):
        raise ValueError(f"not a Lexware timestamp: {text!r}")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_date(text: str) -> date:
    if not isinstance(text, str) or not _DATE.match(text):
        raise ValueError(f"not a yyyy-MM-dd date: {text!r}")
    return date.fromisoformat(text)
