from __future__ import annotations

from django.urls import URLPattern, path

from portal.organizations import member_views, settings_views

app_name = "org"

urlpatterns: list[URLPattern] = [
    path("members/", member_views.members, name="members"),
    path("members/<uuid:code>/role/", member_views.member_role, name="member_role"),
    path("members/<uuid:code>/remove/", member_views.member_remove, name="member_remove"),
    path("members/leave/", member_views.leave, name="leave"),
    path("members/mfa/", member_views.mfa_requirement, name="mfa_requirement"),
    path("settings/", settings_views.organization_settings, name="settings"),
    path(
        "settings/customer-links/",
        settings_views.customer_link_settings,
        name="customer_link_settings",
    ),
    path("settings/letterhead/", settings_views.letterhead_settings, name="letterhead_settings"),
    path(
        "settings/bank-account/remove/",
        settings_views.bank_account_remove,
        name="bank_account_remove",
    ),
    path("invitations/", member_views.invitation_create, name="invitation_create"),
    path(
        "invitations/<uuid:code>/revoke/", member_views.invitation_revoke, name="invitation_revoke"
    ),
]
