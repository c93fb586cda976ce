"""Shared columns of every mirror table: one row per Lexware resource per organization."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


class MirrorModel(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    lexware_id = models.UUIDField()
    version = models.IntegerField(null=True, blank=True)
    # The resource exactly as Lexware returned it (the detail GET, or the list row).
    raw = models.JSONField(default=dict)
    synced_at = models.DateTimeField(default=timezone.now)
    # Lower-cased text of the searchable fields, for substring search; on PostgreSQL a
    # trigram GIN index makes `LIKE '%term%'` fast on large tables.
    search_text = models.TextField(blank=True, default="")
    # Set when Lexware says the resource is gone (deleted event, or 404 on re-fetch).
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def normalise_search(*parts: object) -> str:
    return " ".join(str(part).strip().lower() for part in parts if part not in (None, ""))


# Helpers for the areas' mirror writers (contacts/mirror.py, documents/mirror.py, …): Lexware's
# JSON values to column values, tolerant of what the API leaves out.


def parse_timestamp(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        day = parse_date(str(value))
        if day is None:
            return None
        parsed = datetime(day.year, day.month, day.day)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def parse_day(value: Any) -> date | None:
    parsed = parse_timestamp(value)
    return timezone.localtime(parsed).date() if parsed else None


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def first_entry(mapping: Any, *keys: str) -> str:
    """The first non-empty entry of Lexware's lists-of-strings objects (emails, phones)."""
    if not isinstance(mapping, dict):
        return ""
    for key in keys or tuple(mapping):
        values = mapping.get(key) or []
        if values:
            return str(values[0])
    return ""


def api_dict(item: Any) -> dict[str, Any]:
    """A resource as Lexware's JSON dict, whether the client gave a model or a plain dict."""
    if isinstance(item, dict):
        return item
    result: dict[str, Any] = item.to_api()
    return result


def mirror_columns(data: dict[str, Any]) -> dict[str, Any]:
    """The columns every mirror row shares (portal.core.mirror.MirrorModel)."""
    return {"version": data.get("version"), "raw": data, "synced_at": timezone.now(), "deleted_at": None}
