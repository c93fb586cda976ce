"""Lexware's date formats (lexware-api.md §8.1): `yyyy-MM-ddTHH:mm:ss.SSSXXX` and `yyyy-MM-dd`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def format_datetime(value: datetime) -> str:
    """Organisation-local (CET/CEST) timestamp with exactly three millisecond digits."""
    local = value.astimezone(BERLIN)
    text = (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + local.strftime("%z")
    )
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


# Appendix B / §8.1: every date the simulator derives is a calendar day in Europe/Berlin.
# A timezone-aware datetime with a fixed offset (what `parse_datetime` returns, or UTC) adds
# `timedelta(days=n)` as n × 24 hours, which lands an hour off across a DST change. These
# helpers step in Berlin wall-clock days instead.


def berlin_date(value: datetime) -> date:
    """The Berlin calendar day of an instant."""
    return value.astimezone(BERLIN).date()


def berlin_midnight(day: date) -> datetime:
    """00:00 Berlin time of a calendar day (midnight exists on every day: DST switches at 02:00/03:00)."""
    return datetime(day.year, day.month, day.day, tzinfo=BERLIN)


def add_days(value: datetime, days: int) -> datetime:
    """`value` moved by `days` Berlin calendar days, keeping its Berlin wall-clock time."""
    local = value.astimezone(BERLIN).replace(tzinfo=None) + timedelta(days=days)
    # Round trip through UTC normalises a wall-clock time that does not exist (spring gap).
    return local.replace(tzinfo=BERLIN).astimezone(UTC).astimezone(BERLIN)
