"""One way to answer a page that htmx may ask for in part (django-htmx example's pattern)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def page_template(request: HttpRequest, template: str, partial: str) -> str:
    """The partial for htmx requests, the whole page otherwise (also when htmx restores a page
    missing from its history cache: that request needs the full document)."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, or only its `partial` for an htmx request. Varies on HX-Request, so no cache
    (the browser's included) serves a fragment as the page or the page as a fragment."""
    name = page_template(request, template, partial) if partial else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
