from __future__ import annotations

from django.urls import URLPattern, path

from portal.documents import views

app_name = "dashboard"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="index"),
]
