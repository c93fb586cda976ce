from __future__ import annotations

from django.urls import URLPattern, path

from portal.documents import views

app_name = "documents"

urlpatterns: list[URLPattern] = [
    path("", views.document_list, name="list"),
    path("<uuid:lexware_id>/", views.document_detail, name="detail"),
]
