from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from portal.audit import context
from portal.core.client_ip import client_ip


class AuditContextMiddleware:
    """Makes the signed-in user and the client's network prefix known to record()."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = context.Actor(
            user=user if user is not None and user.is_authenticated else None,
            ip_prefix=context.ip_prefix(client_ip(request)),
        )
        token = context.set_current(actor)
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
