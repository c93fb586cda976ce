from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation

SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request (reliability.md S4).

    The absolute lifetime is SESSION_COOKIE_AGE, set once at login and never extended.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif now - last_seen >= SEEN_RESOLUTION_SECONDS or "last_seen" not in request.session:
                # A minute's resolution is plenty for a 30-minute timeout, and spares a
                # session write on nearly every request.
                request.session["last_seen"] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """Speaks the signed-in user's chosen language (profile); otherwise LocaleMiddleware's choice.

    Sits after AuthenticationMiddleware; LocaleMiddleware (earlier) still sets Content-Language
    on the way out from whatever is active then.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        )
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
