from __future__ import annotations

from django.urls import URLPattern, path

from portal.sales import customer_views, views

app_name = "sales"

# Under /o/<slug>/documents/new/ (portal/urls.py).
urlpatterns: list[URLPattern] = [
    path("<str:voucher_type>/", views.document_new, name="new"),
    path("<str:voucher_type>/totals/", views.document_totals, name="totals"),
    path("<str:voucher_type>/customers/", views.customer_search, name="customers"),
    path("<str:voucher_type>/articles/", views.article_search, name="articles"),
    path("<str:voucher_type>/status/<uuid:code>/", views.document_new_status, name="status"),
    path("<str:voucher_type>/customer/", customer_views.customer_new, name="customer_new"),
    path(
        "<str:voucher_type>/customer/<uuid:code>/",
        customer_views.customer_new_status,
        name="customer_new_status",
    ),
]
