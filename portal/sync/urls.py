from __future__ import annotations

from django.urls import URLPattern, path

from portal.sync import views

app_name = "sync"

urlpatterns: list[URLPattern] = [
    path("", views.sync_status, name="status"),
    path("start/", views.sync_start, name="start"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/delete/", views.subscriptions_delete, name="subscriptions_delete"),
    path("subscriptions/ensure/", views.subscriptions_ensure, name="subscriptions_ensure"),
]
