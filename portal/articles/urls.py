from __future__ import annotations

from django.urls import URLPattern, path

from portal.articles import views

app_name = "articles"

urlpatterns: list[URLPattern] = [
    path("", views.article_list, name="list"),
    path("<uuid:lexware_id>/", views.article_detail, name="detail"),
]
