from __future__ import annotations

from django.urls import URLPattern, path

from portal.sharing import views

app_name = "sharing"

urlpatterns: list[URLPattern] = [
    path("<uuid:lexware_id>/", views.share_links, name="links"),
    path("<uuid:lexware_id>/new/", views.share_link_new, name="create"),
    path("links/<uuid:code>/revoke/", views.share_link_revoke_view, name="revoke"),
    path("links/<uuid:code>/regenerate/", views.share_link_regenerate_view, name="regenerate"),
]
