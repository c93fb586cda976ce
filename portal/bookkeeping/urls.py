from __future__ import annotations

from django.urls import URLPattern, path

from portal.bookkeeping import views

app_name = "bookkeeping"

urlpatterns: list[URLPattern] = [
    path("", views.voucher_list, name="list"),
    path("<uuid:lexware_id>/", views.voucher_detail, name="detail"),
]
