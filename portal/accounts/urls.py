from __future__ import annotations

from django.urls import URLPattern, path

from portal.accounts import mfa_views, views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("login/", views.login_view, name="login"),
    path("login/code/", mfa_views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("reauth/", mfa_views.reauth, name="reauth"),
    path("password/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("profile/", views.profile, name="profile"),
    path("mfa/", mfa_views.mfa_settings, name="mfa"),
    path("mfa/setup/start/", mfa_views.mfa_setup_start, name="mfa_setup_start"),
    path("mfa/setup/", mfa_views.mfa_setup, name="mfa_setup"),
    path("mfa/recovery-codes/", mfa_views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("mfa/disable/", mfa_views.mfa_disable, name="mfa_disable"),
    path("language/", views.set_language, name="language"),
]
