from __future__ import annotations

from django.urls import URLPattern, path

from portal.console import views

app_name = "console"

urlpatterns: list[URLPattern] = [
    path("", views.console, name="index"),
    path("run/", views.console_run, name="run"),
]
