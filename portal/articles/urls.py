from __future__ import annotations

from django.urls import URLPattern, path

from portal.articles import views

app_name = "articles"

urlpatterns: list[URLPattern] = [
    path("", views.article_list, name="list"),
    path("new/", views.article_create, name="create"),
    path("new/<uuid:code>/", views.article_create_status, name="create_status"),
    path("price/", views.article_price, name="price"),
    path("<uuid:lexware_id>/", views.article_detail, name="detail"),
    path("<uuid:lexware_id>/edit/", views.article_edit, name="edit"),
    path("<uuid:lexware_id>/edit/<uuid:code>/", views.article_edit_status, name="edit_status"),
    path("<uuid:lexware_id>/delete/", views.article_delete, name="delete"),
    path(
        "<uuid:lexware_id>/delete/<uuid:code>/", views.article_delete_status, name="delete_status"
    ),
]
