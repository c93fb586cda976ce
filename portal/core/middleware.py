from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class NoStoreForAuthenticatedMiddleware:
    """Pages for signed-in users are never stored by browsers or proxies (reliability.md S2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private, max-age=0"
        if request.headers.get("HX-Request"):
            patch_vary_headers(response, ["HX-Request"])
        return response


class RejectNulMiddleware:
    """Django's admin passes list filters and searches from the query string to the database
    unvalidated, and PostgreSQL refuses a NUL character in any text (a 500). A NUL is never
    legitimate input: answer 400 there (reliability.md F1). The portal's own pages validate
    their query strings with forms, whose fields refuse NUL with a field error on the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(_admin_prefix()) and _has_nul(request.GET):
            return HttpResponseBadRequest(
                "NUL characters are not allowed in a request.", content_type="text/plain"
            )
        return self.get_response(request)


def _admin_prefix() -> str:
    return reverse("admin:index")


def _has_nul(values: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values.getlist(key)) for key in values
    )
