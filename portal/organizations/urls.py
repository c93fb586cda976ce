from __future__ import annotations

from django.urls import URLPattern, path

from portal.organizations import connection_views

app_name = "org"

urlpatterns: list[URLPattern] = [
    # Lexware connection (issue 2 §6) — keep these when adding the organization pages.
    path("connection/", connection_views.connection_detail, name="connection"),
    path("connection/save/", connection_views.connection_save, name="connection_save"),
    path("connection/verify/", connection_views.connection_verify, name="connection_verify"),
    path("connection/disconnect/", connection_views.connection_disconnect, name="connection_disconnect"),
]
