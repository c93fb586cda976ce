"""Sign-in, sign-out, password and profile pages.

Sign-in and password reset are Django's own views with our templates: they already cycle the
session key, check `next` against the host, and answer the same whether an account exists.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from portal.accounts import mfa
from portal.accounts.decorators import require_recent_auth
from portal.accounts.forms import LoginForm, ProfileForm
from portal.accounts.http import AuthedRequest
from portal.accounts.tasks import send_password_reset
from portal.accounts.throttling import password_reset_allowed

# Django's form views also answer PUT (as POST); only GET and POST are part of this portal.
GET_POST = require_http_methods(["GET", "POST"])


class _LoginView(auth_views.LoginView):
    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if mfa.has_mfa(user):
            # The password alone does not sign an enrolled user in: the code page does.
            mfa.begin_pending_login(self.request, user=user, next_url=self.get_success_url())
            return redirect("accounts:login_code")
        return super().form_valid(form)


login_view = GET_POST(
    _LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)


class _PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: Any) -> HttpResponse:
        # A worker looks the address up and sends: the answer is the same, in the same time,
        # for known and unknown addresses, and for throttled requests (nothing is sent then).
        email = form.cleaned_data["email"]
        if password_reset_allowed(self.request, email):
            transaction.on_commit(lambda: send_password_reset.delay(email))
        return redirect(self.get_success_url())


password_reset = GET_POST(
    _PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        subject_template_name="emails/password_reset-subject.txt",
        email_template_name="emails/password_reset-body.txt",
        html_email_template_name="emails/password_reset-body.html",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = GET_POST(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def _to(request: AuthedRequest, url_name: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(reverse(url_name))
    return redirect(url_name)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Ends the session (POST only, so a link or image cannot sign anyone out)."""
    logout(request)
    response = render(request, "accounts/logged_out.html")
    # Drop anything the browser kept from the signed-in pages (reliability.md S9).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
@login_required
@require_recent_auth()
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # Keeps this session (with a new key); every other session of the user ends, because
        # their stored password hash no longer matches.
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed. Other sessions were signed out."))
        return _to(request, "accounts:profile")
    template = "accounts/password_change.html" + ("#password-form" if request.htmx else "")
    return render(request, template, {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your profile was saved."))
        # A full page load, so the chrome switches to the new language as well.
        return _to(request, "accounts:profile")
    template = "accounts/profile.html" + ("#profile-form" if request.htmx else "")
    return render(request, template, {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher on every page: Django's set_language (cookie, safe `next`), and for
    a signed-in user the profile too, because the profile language wins over the cookie
    (UserLanguageMiddleware) and should follow the user to other browsers."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
