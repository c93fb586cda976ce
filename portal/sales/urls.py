from __future__ import annotations

from django.urls import URLPattern, path

from portal.sales import customer_views, views, views_flow, views_preview

app_name = "sales"

# Under /o/<slug>/documents/new/ (portal/urls.py).
urlpatterns: list[URLPattern] = [
    # Into the editor from a document (views_flow.py): follow-up, copy, a portal draft again.
    path("pursue/<uuid:lexware_id>/", views_flow.document_pursue, name="pursue"),
    path("copy/<uuid:lexware_id>/", views_flow.document_copy, name="copy"),
    path("draft/<uuid:lexware_id>/", views_flow.draft_reopen, name="draft"),
    path("<str:voucher_type>/", views.document_new, name="new"),
    path("<str:voucher_type>/totals/", views.document_totals, name="totals"),
    path("<str:voucher_type>/customers/", views.customer_search, name="customers"),
    path("<str:voucher_type>/articles/", views.article_search, name="articles"),
    path("<str:voucher_type>/preview-pdf/", views_preview.document_preview_pdf, name="preview_pdf"),
    path("<str:voucher_type>/status/<uuid:code>/", views.document_new_status, name="status"),
    path("<str:voucher_type>/customer/", customer_views.customer_new, name="customer_new"),
    path(
        "<str:voucher_type>/customer/<uuid:code>/",
        customer_views.customer_new_status,
        name="customer_new_status",
    ),
]
