from __future__ import annotations

from django.urls import URLPattern, path

from portal.sales import views, views_preview

app_name = "sales"

# Under /o/<slug>/documents/new/ (portal/urls.py).
urlpatterns: list[URLPattern] = [
    path("<str:voucher_type>/", views.document_new, name="new"),
    path("<str:voucher_type>/totals/", views.document_totals, name="totals"),
    path("<str:voucher_type>/customers/", views.customer_search, name="customers"),
    path("<str:voucher_type>/articles/", views.article_search, name="articles"),
    path("<str:voucher_type>/preview-pdf/", views_preview.document_preview_pdf, name="preview_pdf"),
    path("<str:voucher_type>/status/<uuid:code>/", views.document_new_status, name="status"),
]
