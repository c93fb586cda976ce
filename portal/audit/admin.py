"""Read-only in the admin: no add, no change, no delete (the trail is append-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portal.audit.models import AuditEvent, LexwareCall, ScheduleRun


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "actor_label", "organization_label", "object_type", "object_id")
    list_filter = ("action", "actor_is_operator")
    search_fields = ("actor_label", "organization_label", "object_id", "object_repr")
    date_hierarchy = "at"


@admin.register(LexwareCall)
class LexwareCallAdmin(ReadOnlyAdmin):
    list_display = ("at", "organization_id", "method", "path", "status", "duration_ms", "lane")
    list_filter = ("status", "lane")


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ("task", "sent_at", "started_at", "finished_at", "state")
