"""Shared columns of every mirror table: one row per Lexware resource per organization."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from portal.organizations.models import Organization


class MirrorModel(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
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
