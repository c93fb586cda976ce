from __future__ import annotations

from django.urls import URLPattern, path

from portal.emails import views

app_name = "emails"

urlpatterns: list[URLPattern] = [
    path("<uuid:lexware_id>/", views.document_email, name="send"),
]
