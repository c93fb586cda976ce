from __future__ import annotations

from django.urls import URLPattern, path

from portal.imports import views

app_name = "imports"

urlpatterns: list[URLPattern] = [
    path("", views.import_index, name="index"),
    # ?kind=contacts|articles&format=csv|xlsx
    path("template/", views.import_template, name="template"),
    # The list's own query string, plus ?format=csv|xlsx
    path("export/contacts/", views.export_contacts, name="export_contacts"),
    path("export/articles/", views.export_articles, name="export_articles"),
    path("<uuid:code>/", views.import_job, name="job"),
    path("<uuid:code>/start/", views.import_start, name="start"),
    path("<uuid:code>/discard/", views.import_discard, name="discard"),
    path("<uuid:code>/cancel/", views.import_cancel, name="cancel"),
    path("<uuid:code>/errors/", views.import_errors, name="errors"),
]
