"""Typed request class for the organization area: the tenant middleware sets both attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.accounts.http import AuthedRequest

if TYPE_CHECKING:
    from portal.organizations.models import Membership, Organization


class OrgRequest(AuthedRequest):
    organization: Organization
    membership: Membership
