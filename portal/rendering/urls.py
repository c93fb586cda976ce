from __future__ import annotations

from django.urls import URLPattern, path

from portal.rendering import views

app_name = "rendering"

# Under /o/<slug>/documents/render/ (portal/urls.py).
urlpatterns: list[URLPattern] = [
    path("of/<uuid:lexware_id>/", views.document_preview, name="document_preview"),
    path("statement/<uuid:contact_id>/", views.statement, name="statement"),
    path("<uuid:code>/", views.job_status, name="job"),
    path("<uuid:code>/retry/", views.job_retry, name="retry"),
    path("<uuid:code>/pdf/", views.job_pdf, name="pdf"),
    path("<uuid:code>/download/", views.job_download, name="download"),
]
