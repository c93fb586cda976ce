from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Says nothing about dependencies (not exposed publicly)."""
    return HttpResponse("ok", content_type="text/plain")
