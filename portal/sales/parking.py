"""The editor's input kept in the session while the user creates a new customer (issue 11
item 1: "without losing the document"). A few documents per session, newest kept."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest

from portal.organizations.models import Organization

SESSION_KEY = "sales_parked_documents"
MOST_PARKED = 5


def park(
    request: HttpRequest, *, organization: Organization, voucher_type: str, data: dict[str, str]
) -> str:
    """Keep the editor's form data; the token finds it again."""
    parked: dict[str, Any] = dict(request.session.get(SESSION_KEY) or {})
    token = uuid.uuid4().hex
    parked[token] = {"org": organization.pk, "type": voucher_type, "data": data}
    request.session[SESSION_KEY] = dict(list(parked.items())[-MOST_PARKED:])
    return token


def parked(
    request: HttpRequest, *, organization: Organization, voucher_type: str, token: str
) -> dict[str, str] | None:
    """The kept form data of this organization's editor of this type, or None."""
    entry = (request.session.get(SESSION_KEY) or {}).get(str(token)[:64])
    if not isinstance(entry, dict):
        return None
    if entry.get("org") != organization.pk or entry.get("type") != voucher_type:
        return None
    data = entry.get("data")
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None
