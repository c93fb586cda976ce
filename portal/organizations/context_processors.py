from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def organization(request: HttpRequest) -> dict[str, Any]:
    org = getattr(request, "organization", None)
    if org is None:
        return {}
    return {"organization": org, "membership": getattr(request, "membership", None)}
