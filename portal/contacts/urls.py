from __future__ import annotations

from django.urls import URLPattern, path

from portal.contacts import views

app_name = "contacts"

urlpatterns: list[URLPattern] = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_create, name="create"),
    path("new/<uuid:code>/", views.contact_create_status, name="create_status"),
    path("<uuid:lexware_id>/", views.contact_detail, name="detail"),
    path("<uuid:lexware_id>/edit/", views.contact_edit, name="edit"),
    path("<uuid:lexware_id>/edit/<uuid:code>/", views.contact_edit_status, name="edit_status"),
]
