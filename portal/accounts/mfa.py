"""MFA reads and session state (issue 16 item 1, reliability.md S6): which devices a user has,
whether this session passed the second factor, the half-finished sign-in between password and
code, and the gate that sends a user to enrolment or to the code page.

django-otp keeps the devices (TOTP for authenticator apps, a static device holding the
recovery codes) and marks a verified session (OTPMiddleware: request.user.is_verified()).
Writes live in services.py.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import verify_token as otp_verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User

security_log = logging.getLogger("portal.security")

PENDING_LOGIN_KEY = "mfa_pending_login"
AUTH_AT_KEY = "auth_at"
TOTP_PATTERN = re.compile(r"^\d{6}$")


# ---------------------------------------------------------------- devices


def has_mfa(user: Any) -> bool:
    return bool(user.is_authenticated) and user_has_device(user, confirmed=True)


def confirmed_totp(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(*, user: User) -> TOTPDevice | None:
    """The device of an enrolment that has shown its QR code but not yet seen a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_codes_left(*, user: User) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def is_verified(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def normalize_code(code: str) -> str:
    # Authenticator apps show "123 456"; recovery codes are printed in lower case.
    return "".join(code.split()).replace("-", "").lower()


def check_code(*, user: User, code: str) -> tuple[Device | None, str]:
    """The device that accepts `code` (a 6-digit TOTP or a recovery code), or why none did.

    A 6-digit code is tried only on the TOTP device and anything else only on the recovery
    codes, so a typo in one never slows down the other. Every failure counts towards the
    device's throttle (django-otp: 1 s, 2 s, 4 s, … before the next try is even looked at);
    django_otp.verify_token locks the device row, so parallel guesses count one by one.
    """
    code = normalize_code(code)
    kind = TOTPDevice if TOTP_PATTERN.match(code) else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, kind):
            continue
        allowed, details = device.verify_is_allowed()
        if not allowed:
            locked_until = (details or {}).get("locked_until")
            wait = max(1, int(locked_until.timestamp() - time.time()) + 1) if locked_until else 1
            return None, _(
                "Too many wrong codes. Please wait %(seconds)s seconds and try again."
            ) % {"seconds": wait}
        verified = otp_verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified, ""
    return None, _("This code is not correct.")


# ---------------------------------------------------------------- the sign-in between password and code


def begin_pending_login(request: HttpRequest, *, user: User, next_url: str) -> None:
    """Password correct, second factor outstanding: the session names the user but is not
    signed in (request.user stays anonymous, every page still sends it to the sign-in)."""
    request.session.cycle_key()
    request.session[PENDING_LOGIN_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "next": next_url,
        "at": int(time.time()),
    }


def pending_login(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    data = request.session.get(PENDING_LOGIN_KEY)
    if not isinstance(data, dict):
        return None, {}
    if int(time.time()) - int(data.get("at", 0)) > settings.MFA_PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        return None, {}
    user_id = data.get("user_id")
    if not isinstance(user_id, int):
        return None, {}
    return User.objects.filter(pk=user_id, is_active=True).first(), data


def end_pending_login(request: HttpRequest) -> None:
    request.session.pop(PENDING_LOGIN_KEY, None)


def mark_verified(request: HttpRequest, *, device: Device) -> None:
    """This session passed the second factor with `device` (django-otp's session key)."""
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.user.otp_device = device  # type: ignore[union-attr]


# ---------------------------------------------------------------- recent authentication (sudo mode)


def mark_recent_auth(request: HttpRequest) -> None:
    request.session[AUTH_AT_KEY] = int(time.time())


def has_recent_auth(request: HttpRequest) -> bool:
    """A password (and, for an enrolled user, a code) entered within RECENT_AUTH_SECONDS."""
    auth_at = request.session.get(AUTH_AT_KEY)
    if not isinstance(auth_at, int) or time.time() - auth_at > settings.RECENT_AUTH_SECONDS:
        return False
    return is_verified(request) or not has_mfa(request.user)


# ---------------------------------------------------------------- redirects


def safe_next(request: HttpRequest, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def redirect_with_next(request: HttpRequest, url_name: str, next_url: str) -> HttpResponse:
    url = f"{reverse(url_name)}?{urlencode({'next': next_url})}"
    if getattr(request, "htmx", False):
        # A fragment request cannot show a whole page: htmx loads it as a full page instead.
        return HttpResponseClientRedirect(url)
    return redirect(url)


def mfa_gate(request: HttpRequest, *, next_url: str | None = None) -> HttpResponse | None:
    """None when this signed-in session passed MFA; else the way there: enrolment for users
    without a device, the code page for users with one."""
    if is_verified(request):
        return None
    next_url = next_url or request.get_full_path()
    if has_mfa(request.user):
        return redirect_with_next(request, "accounts:login_code", next_url)
    return redirect_with_next(request, "accounts:mfa", next_url)
