"""Typed request class for views behind login (like healthchecks' AuthenticatedHttpRequest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from portal.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
