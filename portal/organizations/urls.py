from __future__ import annotations

from django.urls import URLPattern, path

from portal.organizations import connection_views, member_views, views

app_name = "org"

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("members/", member_views.members, name="members"),
    path("members/<uuid:code>/role/", member_views.member_role, name="member_role"),
    path("members/<uuid:code>/remove/", member_views.member_remove, name="member_remove"),
    path("members/leave/", member_views.leave, name="leave"),
    path("invitations/", member_views.invitation_create, name="invitation_create"),
    path("invitations/<uuid:code>/revoke/", member_views.invitation_revoke, name="invitation_revoke"),
    # Lexware connection (issue 2 §6) — keep these when adding the organization pages.
    path("connection/", connection_views.connection_detail, name="connection"),
    path("connection/save/", connection_views.connection_save, name="connection_save"),
    path("connection/verify/", connection_views.connection_verify, name="connection_verify"),
    path("connection/disconnect/", connection_views.connection_disconnect, name="connection_disconnect"),
]
