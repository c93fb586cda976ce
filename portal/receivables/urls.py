from __future__ import annotations

from django.urls import URLPattern, path

from portal.receivables import views, views_dunning

app_name = "receivables"

urlpatterns: list[URLPattern] = [
    path("", views.receivables, name="overview"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("export/", views.export, name="export"),
    path("payments/fetch/", views_dunning.payments_fetch, name="payments_fetch"),
    path("dunning/", views_dunning.dunning_page, name="dunning"),
    path("dunning/start/", views_dunning.dunning_start, name="dunning_start"),
    path("dunning/settings/", views_dunning.dunning_settings, name="dunning_settings"),
    path("dunning/runs/<uuid:code>/", views_dunning.dunning_run, name="dunning_run"),
]
