from __future__ import annotations

from django.urls import URLPattern, path

from portal.organizations import invitation_views, views

app_name = "organizations"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("organizations/", views.organization_list, name="list"),
    path("organizations/new/", views.organization_create, name="create"),
    path("invitations/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
]
