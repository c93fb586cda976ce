"""Typed request classes for views (like healthchecks' AuthenticatedHttpRequest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.organizations.models import Membership, Organization


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class OrgRequest(AuthedRequest):
    organization: Organization
    membership: Membership
