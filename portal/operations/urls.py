from __future__ import annotations

from django.urls import path

from portal.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.operation_list, name="list"),
    path("<uuid:code>/", views.operation_detail, name="detail"),
    path("<uuid:code>/status/", views.operation_status, name="status"),
]
