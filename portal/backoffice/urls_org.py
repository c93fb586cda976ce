"""An organization's own audit trail, for its admins and owners (under /o/<slug>/audit/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from portal.backoffice import audit_views

app_name = "audit"

urlpatterns: list[URLPattern] = [
    path("", audit_views.org_audit, name="list"),
    path("export.csv", audit_views.org_audit_export, name="export"),
]
