from __future__ import annotations

from django.urls import URLPattern, path

from portal.receivables import views

app_name = "receivables"

urlpatterns: list[URLPattern] = [
    path("", views.receivables, name="overview"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("export/", views.export, name="export"),
]
