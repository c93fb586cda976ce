from __future__ import annotations

from django.urls import URLPattern, path

from portal.sharing import public_views

app_name = "public"

# The token URLs (in e-mails) only set the link cookie and redirect to the token-free ones
# under v/<link code>/ (reliability.md L6).
urlpatterns: list[URLPattern] = [
    path("v/<uuid:code>/", public_views.share_page, name="page"),
    path("v/<uuid:code>/pdf/", public_views.share_pdf, name="pdf"),
    path("v/<uuid:code>/preview/", public_views.share_preview, name="preview"),
    path("v/<uuid:code>/xml/", public_views.share_xml, name="xml"),
    path("v/<uuid:code>/statement/", public_views.share_statement, name="statement"),
    path("<str:token>/", public_views.share_entry, name="share"),
    path("<str:token>/pdf/", public_views.share_entry_pdf, name="share_pdf"),
    path("<str:token>/preview/", public_views.share_entry_preview, name="share_preview"),
    path("<str:token>/xml/", public_views.share_entry_xml, name="share_xml"),
]
