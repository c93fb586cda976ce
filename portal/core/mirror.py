"""Shared columns of every mirror table: one row per Lexware resource per organization."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


class MirrorModel(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
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


# Names sort the German way (Ä with A, ß as ss): an ICU collation on PostgreSQL (core migration
# 0001), a Python one of the same name on SQLite (portal.core.apps). Use with Collate().
GERMAN_COLLATION = "de_icu"
# Stored search variants are separated by a line break, which a typed query never contains,
# so a match never spans two variants.
VARIANT_SEPARATOR = "\n"
_UMLAUTS_AS_TWO_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@lru_cache(maxsize=32_768)
def _word_without_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _without_accents(text: str) -> str:
    # Word by word, each non-ASCII word folded once per process: a sync writes the same
    # customer names thousands of times. Identical to folding the whole text, because NFKD
    # and dropping combining marks work per character and never across an ASCII space.
    return " ".join(
        word if word.isascii() else _word_without_accents(word) for word in text.split(" ")
    )


def search_variants(text: str) -> list[str]:
    """Lower-cased text and how Germans type it without umlauts: "bäckerei" also as
    "backerei" and "baeckerei", "straße" as "strasse" (only variants that differ)."""
    lowered = text.lower()
    if lowered.isascii():  # nothing to fold: the common case, kept cheap for the sync's writers
        return [lowered]
    variants = [lowered]
    for variant in (
        _without_accents(lowered),
        _without_accents(lowered.translate(_UMLAUTS_AS_TWO_LETTERS)),
    ):
        if variant not in variants:
            variants.append(variant)
    return variants


def german_sort_key(text: str) -> tuple[str, str]:
    """The SQLite stand-in for the ICU collation: Ä sorts with A, ß as ss, case second."""
    return _without_accents(text).casefold(), text


def normalise_search(*parts: object) -> str:
    """The search_text of a mirror row: its searchable fields, lower-cased, with the umlaut
    variants of search_variants() after it (used by the areas' mirror writers;
    core migration 0002 rebuilt the rows written before)."""
    text = " ".join(str(part).strip().lower() for part in parts if part not in (None, ""))
    return VARIANT_SEPARATOR.join(search_variants(text))


def search_condition(query: str, field: str = "search_text") -> Q:
    """Rows whose search text contains the query as typed, or as typed without umlauts, so
    "Bäckerei", "baeckerei" and "backerei" all find the Bäckerei."""
    condition = Q()
    for variant in search_variants(query.strip()):
        condition |= Q(**{f"{field}__contains": variant})
    return condition


# Helpers for the areas' mirror writers (contacts/mirror.py, documents/mirror.py, …): Lexware's
# JSON values to column values, tolerant of what the API leaves out.


def parse_timestamp(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:  # a well-formed text that is no real instant (a 13th month) raises ValueError
        parsed = parse_datetime(str(value))
        if parsed is None:
            day = parse_date(str(value))
            if day is None:
                return None
            parsed = datetime(day.year, day.month, day.day)
    except ValueError:
        return None
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
    return {
        "version": data.get("version"),
        "raw": data,
        "synced_at": timezone.now(),
        "deleted_at": None,
    }
