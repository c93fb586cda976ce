"""The Django admin under /backoffice/admin/, hidden from everyone who is not an operator.

Django's admin would show its own login form to anyone; here a signed-in non-operator gets a
404 for every admin URL (no hint that there is an admin), and anonymous visitors go to the
portal's own sign-in page, which is throttled by axes. Operators without a verified MFA
session go to enrolment or to the code page first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from portal.accounts.mfa import mfa_gate


def _gate(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if not (request.user.is_active and request.user.is_staff):
        raise Http404("Not found")
    # Operators see every organization: a password alone never opens this (reliability.md S6).
    return mfa_gate(request)


class PortalAdminSite(admin.AdminSite):
    site_header = _("Lexware Office portal — backoffice")
    site_title = _("Backoffice")
    index_title = _("Raw data")
    site_url = "/backoffice/"

    # django-stubs types admin_view with a private TypeVar; the gate keeps the view's signature.
    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:  # type: ignore[override]
        inner = super().admin_view(view, cacheable)

        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            return _gate(request) or inner(request, *args, **kwargs)

        return update_wrapper(gated, inner)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # The admin's own login form is never shown: operators sign in like everyone else.
        gate = _gate(request)
        if gate is not None:
            return gate
        return redirect("admin:index")
