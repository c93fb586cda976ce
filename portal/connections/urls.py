from __future__ import annotations

from django.urls import URLPattern, path

from portal.connections import views

app_name = "connection"

urlpatterns: list[URLPattern] = [
    path("", views.connection_detail, name="detail"),
    path("save/", views.connection_save, name="save"),
    path("verify/", views.connection_verify, name="verify"),
    path("disconnect/", views.connection_disconnect, name="disconnect"),
    path("expiry/", views.connection_expiry, name="expiry"),
]
