"""The token → cookie exchange of customer links (reliability.md L6).

The first request with the token sets a short-lived, signed, document-scoped cookie holding the
token's hash and redirects to a URL without the token (`/s/v/<link code>/`), so the token leaves
the address bar, the browser history and any Referer. Each request re-reads the link by that
hash, so a revoked or reissued link stops at once for a browser holding the cookie too (L8).
The link code in the URL is not a secret: without the cookie it opens nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from portal.sharing.models import ShareLink

SALT = "portal.sharing.link-cookie"


def cookie_name(link_code: object) -> str:
    # One cookie per link; `__Host-` (Secure, Path=/, no Domain) wherever cookies are secure.
    prefix = "__Host-" if settings.SESSION_COOKIE_SECURE else ""
    return f"{prefix}share-{getattr(link_code, 'hex', link_code)}"


def set_link_cookie(response: HttpResponseBase, link: ShareLink) -> None:
    response.set_signed_cookie(
        cookie_name(link.code),
        link.token_hash,
        salt=SALT,
        max_age=settings.SHARE_LINK_COOKIE_SECONDS,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        # Lax: the redirect that follows the click in an e-mail must carry it.
        samesite="Lax",
    )


def hash_from_cookie(request: HttpRequest, link_code: object) -> str | None:
    try:
        value = request.get_signed_cookie(
            cookie_name(link_code),
            default=None,
            salt=SALT,
            max_age=settings.SHARE_LINK_COOKIE_SECONDS,
        )
    except signing.BadSignature:
        return None
    return str(value) if value else None
