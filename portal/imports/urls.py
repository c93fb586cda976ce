from __future__ import annotations

from django.urls import URLPattern, path

from portal.imports import views

app_name = "imports"

urlpatterns: list[URLPattern] = [
    path("", views.import_index, name="index"),
    path("template/<slug:kind>.<slug:fmt>", views.import_template, name="template"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("<uuid:code>/", views.import_job, name="job"),
    path("<uuid:code>/start/", views.import_start, name="start"),
    path("<uuid:code>/discard/", views.import_discard, name="discard"),
    path("<uuid:code>/cancel/", views.import_cancel, name="cancel"),
    path("<uuid:code>/errors/", views.import_errors, name="errors"),
]
