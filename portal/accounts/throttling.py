"""Limits on guessing and on reset mails that axes' per-account lockout does not cover
(issue 16 item 2), with django-ratelimit's cache counters (CACHE_URL: shared by all web
processes in production).

- Failed sign-ins per client address, across accounts: ten accounts with one wrong password
  each from one address must not all be tried.
- Password-reset requests per client address and per e-mail address.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited

from portal.core.client_ip import client_ip

logger = logging.getLogger("portal.security.throttling")


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def login_blocked_for_address(request: HttpRequest) -> bool:
    """As many failed sign-ins from this address lately as the rate allows (counted by
    `login_failed`): the next attempt is refused, whatever its password."""
    usage = get_usage(
        request,
        group="login-failures-ip",
        key=_ip_key,
        rate=settings.LOGIN_FAILURES_PER_IP,
        increment=False,
    )
    return usage is not None and usage["count"] >= usage["limit"]


def login_failed(request: HttpRequest) -> None:
    if is_ratelimited(
        request,
        group="login-failures-ip",
        key=_ip_key,
        rate=settings.LOGIN_FAILURES_PER_IP,
        increment=True,
    ):
        logger.warning("sign-ins from %s throttled after repeated failures", client_ip(request))


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Counts this request; False when the address or the e-mail asked too often."""
    by_ip = is_ratelimited(
        request,
        group="password-reset-ip",
        key=_ip_key,
        rate=settings.PASSWORD_RESETS_PER_IP,
        increment=True,
    )
    by_email = is_ratelimited(
        request,
        group="password-reset-email",
        key=lambda group, req: email.strip().lower(),
        rate=settings.PASSWORD_RESETS_PER_EMAIL,
        increment=True,
    )
    if by_ip or by_email:
        logger.warning("password reset throttled (%s)", "address" if by_ip else "e-mail")
        return False
    return True
