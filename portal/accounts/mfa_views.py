"""MFA pages: the code step of the sign-in, re-authentication, and the user's own MFA settings
(enrol with a QR code, recovery codes, turn off)."""

from __future__ import annotations

import base64
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import mfa, services
from portal.accounts.decorators import require_recent_auth
from portal.accounts.http import AuthedRequest
from portal.accounts.mfa_forms import CodeForm, ReauthForm
from portal.accounts.models import User

GET_POST = require_http_methods(["GET", "POST"])


def _next(request: HttpRequest, default: str = "") -> str:
    default = default or resolve_url(settings.LOGIN_REDIRECT_URL)
    return mfa.safe_next(request, request.POST.get("next") or request.GET.get("next"), default)


@sensitive_post_parameters("code")
@GET_POST
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of the sign-in (after the password), or the code for a signed-in session
    that has not passed MFA yet (signed in before enrolling elsewhere)."""
    pending: dict[str, Any] = {}
    user: User | None
    if request.user.is_authenticated:
        user, next_url = request.user, _next(request)
        if mfa.is_verified(request) or not mfa.has_mfa(user):
            return redirect(next_url)
    else:
        user, pending = mfa.pending_login(request)
        next_url = pending.get("next", "")
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = mfa.check_code(user=user, code=form.cleaned_data["code"])
        if device is None:
            mfa.security_log.info("wrong MFA code for user %s", user.pk)
            form.add_error("code", error)
        else:
            if not request.user.is_authenticated:
                # Only now the session is signed in (new session key; axes and auth_at see it).
                mfa.end_pending_login(request)
                auth_login(request, user, backend=pending["backend"])
            mfa.mark_verified(request, device=device)
            mfa.mark_recent_auth(request)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("You used a recovery code. %(left)s are left.")
                    % {"left": device.token_set.count()},
                )
            return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form, "next": next_url})


@sensitive_post_parameters("password", "code")
@GET_POST
@login_required
def reauth(request: AuthedRequest) -> HttpResponse:
    next_url = _next(request, reverse("accounts:profile"))
    form = ReauthForm(request.POST or None, request=request, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.device is not None:
            mfa.mark_verified(request, device=form.device)
        mfa.mark_recent_auth(request)
        return redirect(next_url)
    return render(request, "accounts/reauth.html", {"form": form, "next": next_url})


@require_GET
@login_required
def mfa_settings(request: AuthedRequest) -> HttpResponse:
    context = {
        "device": mfa.confirmed_totp(user=request.user),
        "codes_left": mfa.recovery_codes_left(user=request.user),
        "next": _next(request, reverse("accounts:mfa")),
    }
    return render(request, "accounts/mfa.html", context)


@require_POST
@login_required
@require_recent_auth(return_to="accounts:mfa")
def mfa_setup_start(request: AuthedRequest) -> HttpResponse:
    services.totp_setup_start(user=request.user)
    return mfa.redirect_with_next(
        request, "accounts:mfa_setup", _next(request, reverse("accounts:mfa"))
    )


def _qr_data_uri(device: TOTPDevice) -> str:
    # Drawn here as SVG and embedded as a data: image (CSP img-src allows data:, nothing else).
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@GET_POST
@login_required
@require_recent_auth()
def mfa_setup(request: AuthedRequest) -> HttpResponse:
    device = mfa.pending_totp(user=request.user)
    next_url = _next(request, reverse("accounts:mfa"))
    if device is None:
        return redirect("accounts:mfa")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_token(form.cleaned_data["code"]):
            allowed, _details = device.verify_is_allowed()
            form.add_error(
                "code",
                _("This code is not correct.")
                if allowed
                else _("Too many wrong codes. Please wait a moment and try again."),
            )
        else:
            codes = services.totp_setup_confirm(user=request.user, device=device)
            mfa.mark_verified(request, device=device)
            return _show_codes(request, codes, next_url, enrolled=True)
    context = {
        "form": form,
        "qr": _qr_data_uri(device),
        "secret": _grouped_secret(device),
        "next": next_url,
    }
    return render(request, "accounts/mfa_setup.html", context)


def _show_codes(
    request: AuthedRequest, codes: list[str], next_url: str, *, enrolled: bool
) -> HttpResponse:
    # Shown once, in this answer only (no-store): never again readable in the portal.
    context = {
        "codes": codes,
        "codes_text": "\n".join(codes) + "\n",
        "next": next_url,
        "enrolled": enrolled,
    }
    return render(request, "accounts/mfa_codes.html", context)


@require_POST
@login_required
@require_recent_auth(return_to="accounts:mfa")
def mfa_recovery_codes(request: AuthedRequest) -> HttpResponse:
    if not mfa.has_mfa(request.user):
        return redirect("accounts:mfa")
    codes = services.recovery_codes_regenerate(user=request.user)
    return _show_codes(request, codes, reverse("accounts:mfa"), enrolled=False)


@require_POST
@login_required
@require_recent_auth(return_to="accounts:mfa")
def mfa_disable(request: AuthedRequest) -> HttpResponse:
    services.mfa_disable(user=request.user)
    messages.success(
        request, _("Two-factor authentication is off. Sign-in now needs only your password.")
    )
    return redirect("accounts:mfa")
