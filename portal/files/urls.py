from __future__ import annotations

from django.urls import URLPattern, path

from portal.files import export_views, views

app_name = "files"

urlpatterns: list[URLPattern] = [
    path("of/<uuid:lexware_id>/", views.files_panel, name="panel"),
    path("of/<uuid:lexware_id>/fetch/", views.files_fetch, name="fetch"),
    path("<uuid:code>/download/", views.file_download, name="download"),
    path("<uuid:code>/preview/", views.file_preview, name="preview"),
    path("exports/", export_views.export_create, name="export_create"),
    path("exports/<uuid:code>/", export_views.export_detail, name="export"),
    path("exports/<uuid:code>/download/", export_views.export_download, name="export_download"),
]
