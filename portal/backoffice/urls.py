from __future__ import annotations

from django.urls import URLPattern, path

from portal.backoffice import views

app_name = "backoffice"

urlpatterns: list[URLPattern] = [
    path("", views.organization_list, name="home"),
]
