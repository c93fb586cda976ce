from __future__ import annotations

from django.urls import URLPattern, path

from portal.bookkeeping import receipt_views, views

app_name = "bookkeeping"

urlpatterns: list[URLPattern] = [
    path("", views.voucher_list, name="list"),
    path("new/", views.voucher_create, name="create"),
    path("new/<uuid:code>/", views.voucher_create_status, name="create_status"),
    path("totals/", views.voucher_totals, name="totals"),
    path("receipts/", receipt_views.receipt_upload, name="upload"),
    path("receipts/<int:pk>/", receipt_views.receipt_status, name="receipt"),
    path("receipts/<int:pk>/retry/", receipt_views.receipt_retry, name="receipt_retry"),
    path("receipts/<int:pk>/file/", receipt_views.receipt_file, name="receipt_file"),
    path("<uuid:lexware_id>/", views.voucher_detail, name="detail"),
    path("<uuid:lexware_id>/edit/", views.voucher_edit, name="edit"),
    path("<uuid:lexware_id>/edit/<uuid:code>/", views.voucher_edit_status, name="edit_status"),
    path("<uuid:lexware_id>/files/", receipt_views.voucher_attach, name="attach"),
    path(
        "<uuid:lexware_id>/files/<uuid:file_id>/fetch/",
        receipt_views.voucher_file_fetch,
        name="file_fetch",
    ),
]
