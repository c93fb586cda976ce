from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from portal.organizations.models import ConnectionStatus
from portal.organizations.selectors import organization_connection

# Connection states an admin must act on; shown as a banner on every organization page.
NEEDS_ATTENTION = (
    ConnectionStatus.REVOKED,
    ConnectionStatus.INVALID_KEY,
    ConnectionStatus.FORBIDDEN,
    ConnectionStatus.TAKEN,
    ConnectionStatus.NEEDS_REENTRY,
)


def organization(request: HttpRequest) -> dict[str, Any]:
    org = getattr(request, "organization", None)
    if org is None:
        return {}
    membership = getattr(request, "membership", None)
    context: dict[str, Any] = {"organization": org, "membership": membership}
    if membership is not None and membership.is_admin:
        # Read with the membership by OrganizationMiddleware: no query of its own.
        connection = organization_connection(organization=org)
        context["connection_alert"] = (
            connection if connection is not None and connection.status in NEEDS_ATTENTION else None
        )
    return context
