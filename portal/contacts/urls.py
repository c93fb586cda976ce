from __future__ import annotations

from django.urls import URLPattern, path

from portal.contacts import views

app_name = "contacts"

urlpatterns: list[URLPattern] = [
    path("", views.contact_list, name="list"),
    path("<uuid:lexware_id>/", views.contact_detail, name="detail"),
]
