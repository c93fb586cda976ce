"""`require_recent_auth`: "sudo mode" before changing the password, MFA or the Lexware key.

A session that signed in hours ago may have been left open on a shared computer; these
changes need the password (and the code, for enrolled users) entered within the last
RECENT_AUTH_SECONDS. Otherwise the user goes to the re-authentication page, which returns to
the page of the action: a GET comes back to itself; a POST cannot be replayed (its body may hold
a key), so it returns to `return_to` (a URL name reversed with the view's kwargs) or its own path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.mfa import has_recent_auth, redirect_with_next

View = Callable[..., HttpResponse]


def require_recent_auth(*, return_to: str | None = None) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if has_recent_auth(request):
                return view(request, *args, **kwargs)
            if request.method == "GET":
                back = request.get_full_path()
            elif return_to:
                back = reverse(return_to, kwargs=kwargs)
            else:
                back = request.path
            messages.info(request, _("Please confirm it is you before making this change."))
            return redirect_with_next(request, "accounts:reauth", back)

        wrapper.requires_recent_auth = True  # type: ignore[attr-defined]
        return wrapper

    return decorator
