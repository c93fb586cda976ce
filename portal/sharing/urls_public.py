from __future__ import annotations

from django.urls import URLPattern, path

from portal.sharing import public_views

app_name = "public"

urlpatterns: list[URLPattern] = [
    path("<str:token>/", public_views.share_page, name="share"),
    path("<str:token>/pdf/", public_views.share_pdf, name="share_pdf"),
    path("<str:token>/preview/", public_views.share_preview, name="share_preview"),
    path("<str:token>/xml/", public_views.share_xml, name="share_xml"),
    path("<str:token>/statement/", public_views.share_statement, name="share_statement"),
]
