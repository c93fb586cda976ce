"""The customer's pages behind a link: no login, no tenant in the URL, nothing but the one
document's summary and files (reliability.md L1–L10).

- Every invalid token gets the same 404 page through the same single lookup (L2, L3).
- Failed lookups are counted per client address; past the limit the address gets 429 (L4).
- `Referrer-Policy: no-referrer`, `Cache-Control: no-store, private`, `X-Robots-Tag: noindex`
  on every answer, the 404 too (L6).
- HEAD (mail scanners) is answered without logging or starting anything (L7).
- Nothing here calls Lexware: files come from storage; a missing one is fetched by a worker
  through the per-key limiter while the page says "being prepared" and refreshes (L10).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from csp.decorators import csp_exempt
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage, is_ratelimited

from portal.contacts.models import Contact
from portal.core.client_ip import client_ip
from portal.documents.selectors import shown_status
from portal.files import selectors as files
from portal.files.models import FileKind
from portal.files.responses import file_response
from portal.files.services import FILES_FETCH, document_files_fetch
from portal.operations.models import Operation, OperationState
from portal.rendering import services as rendering
from portal.rendering.views import statement_response
from portal.sharing.girocode import girocode_for
from portal.sharing.link_cookie import hash_from_cookie, set_link_cookie
from portal.sharing.models import AccessKind, ShareLink
from portal.sharing.selectors import link_for_hash, link_for_token
from portal.sharing.services import share_access_record
from portal.sharing.tokens import token_hash

logger = logging.getLogger("portal.security.sharing")
RETRY_AFTER_SECONDS = 10
FAILED_FETCH_PAUSE = timedelta(minutes=5)


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _throttled(request: HttpRequest) -> bool:
    usage = get_usage(
        request,
        group="share-link-misses",
        key=_ip_key,
        rate=settings.SHARE_LINK_MISSES_PER_IP,
        increment=False,
    )
    return usage is not None and usage["count"] >= usage["limit"]


def _count_miss(request: HttpRequest, token: str) -> None:
    is_ratelimited(
        request,
        group="share-link-misses",
        key=_ip_key,
        rate=settings.SHARE_LINK_MISSES_PER_IP,
        increment=True,
    )
    # Only a prefix of the hash: never the token (L2, ASVS 16.2.5).
    logger.info("customer link not found (hash %s…)", token_hash(token)[:8])


def private_headers(response: HttpResponseBase) -> HttpResponseBase:
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, no_store=True, private=True)
    return response


def _not_found(request: HttpRequest, renewable: bool = False) -> HttpResponseBase:
    """The one page for every link that does not open; on a token URL it offers "send me a
    new one" (portal/emails/renewal.py), the same for every token, known or not."""
    return render(request, "sharing/public_not_found.html", {"renewable": renewable}, status=404)


def _too_many(request: HttpRequest) -> HttpResponseBase:
    response = render(request, "sharing/public_not_found.html", {"throttled": True}, status=429)
    response["Retry-After"] = "60"
    return response


LinkView = Callable[..., HttpResponseBase]


def _chosen_language(request: HttpRequest) -> str | None:
    """The language switch of the link pages is a plain link (`?lang=en`), not the portal's
    POST form: under `Referrer-Policy: no-referrer` browsers send `Origin: null` with a POST,
    which the CSRF check rightly refuses. Only the display language changes."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        return None
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _remember_language(response: HttpResponseBase, language: str | None) -> None:
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )


def _guarded(
    request: HttpRequest,
    find: Callable[[], ShareLink | None],
    miss: str,
    answer: LinkView,
    renewable: bool = False,
) -> HttpResponseBase:
    """The throttle, the lookup, the uniform 404, the language and the private headers."""
    language = _chosen_language(request)
    if _throttled(request):
        response = _too_many(request)
    # Malformed tokens take the same lookup as well-formed unknown ones (F6).
    elif (link := find()) is None:
        _count_miss(request, miss)
        response = _not_found(request, renewable)
    else:
        response = answer(link)
    _remember_language(response, language)
    return private_headers(response)


def customer_link(target: str) -> Callable[..., HttpResponseBase]:
    """A URL with the token: exchanged for the link cookie and redirected to the token-free
    address of the same page (L6). HEAD gets the same answer and changes nothing (L7)."""

    @require_safe
    def exchange(request: HttpRequest, token: str) -> HttpResponseBase:
        def answer(link: ShareLink) -> HttpResponseBase:
            url = reverse(target, kwargs={"code": link.code})
            if language := request.GET.get("lang"):
                url += "?" + urlencode({"lang": language})
            response = HttpResponseRedirect(url)
            set_link_cookie(response, link)
            return response

        # "Send me a new one" posts to renew/ relative to the link's own page only.
        renewable = target == "public:page"
        return _guarded(request, lambda: link_for_token(token), token, answer, renewable)

    return exchange


def link_page(view: LinkView) -> Callable[..., HttpResponseBase]:
    """A token-free URL: the link comes from its signed cookie, re-read by hash on each
    request (a revoked link stops at once, L8); without a valid cookie the uniform 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, code: UUID, **kwargs: Any) -> HttpResponseBase:
        def find() -> ShareLink | None:
            digest = hash_from_cookie(request, code)
            link = link_for_hash(digest) if digest else None
            return link if link is not None and link.code == code else None

        return _guarded(request, find, str(code), lambda link: view(request, link, **kwargs))

    return wrapper


def _prepare_file(request: HttpRequest, link: ShareLink) -> None:
    """A missing file is fetched by a worker (joins one already queued); never on HEAD, and
    not again within minutes of a failed fetch, so a reloading page cannot queue a fetch per
    visit while Lexware refuses it."""
    if request.method != "GET" or files.files_complete(link.document):
        return
    recently_failed = Operation.objects.filter(
        organization=link.organization,
        kind=FILES_FETCH,
        target_id=str(link.document.lexware_id),
        state=OperationState.FAILED,
        finished_at__gte=timezone.now() - FAILED_FETCH_PAUSE,
    ).exists()
    if not recently_failed:
        document_files_fetch(organization=link.organization, document=link.document)


share_entry = customer_link("public:page")
share_entry_pdf = customer_link("public:pdf")
share_entry_preview = customer_link("public:preview")
share_entry_xml = customer_link("public:xml")


@require_safe
@link_page
def share_page(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    document = link.document
    pdf = files.latest_file(document, FileKind.PDF)
    xml = files.latest_file(document, FileKind.XML) if files.is_e_invoice(document) else None
    if request.method == "GET":
        share_access_record(link=link, request=request, what=AccessKind.PAGE)
        _prepare_file(request, link)
    connection = getattr(link.organization, "lexware_connection", None)
    return render(
        request,
        "sharing/public_document.html",
        {
            "link": link,
            "document": document,
            "issuer": (connection.company_name if connection else "") or link.organization.name,
            "status": shown_status(document),
            "pdf": pdf,
            "xml": xml,
            "refresh_seconds": RETRY_AFTER_SECONDS if pdf is None else None,
            "girocode": girocode_for(document),
            "statement_offered": statement_contact(link) is not None,
        },
    )


def _file(
    request: HttpRequest, link: ShareLink, kind: str, what: str, inline: bool
) -> HttpResponseBase:
    stored = files.latest_file(link.document, kind)
    if stored is None or (kind == FileKind.XML and not files.is_e_invoice(link.document)):
        if kind == FileKind.XML:
            return _not_found(request)
        _prepare_file(request, link)
        response = render(request, "sharing/public_preparing.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.method == "GET":
        share_access_record(link=link, request=request, what=what)
    return file_response(stored, inline=inline)


@require_safe
@link_page
def share_pdf(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    return _file(request, link, FileKind.PDF, AccessKind.PDF, inline=False)


@csp_exempt()
@require_safe
@link_page
def share_preview(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    return _file(request, link, FileKind.PDF, AccessKind.PREVIEW, inline=True)


@require_safe
@link_page
def share_xml(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    return _file(request, link, FileKind.XML, AccessKind.XML, inline=False)


def statement_contact(link: ShareLink) -> Contact | None:
    """The customer whose statement the link offers, when the organization turned it on."""
    if not link.organization.statement_on_customer_link or not link.document.contact_lexware_id:
        return None
    return Contact.objects.filter(
        organization=link.organization,
        lexware_id=link.document.contact_lexware_id,
        deleted_at__isnull=True,
    ).first()


@require_safe
@link_page
def share_statement(request: HttpRequest, link: ShareLink) -> HttpResponseBase:
    """The customer's open items as of today, rendered by a worker: the same input (same day,
    same items) reuses the finished PDF; until it is ready, the "being prepared" answer."""
    contact = statement_contact(link)
    if contact is None:
        return _not_found(request)
    job = rendering.statement(
        organization=link.organization,
        contact=contact,
        language=translation.get_language() or "de",
    )
    if not job.succeeded:
        response = render(request, "sharing/public_preparing.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if request.method == "GET":
        share_access_record(link=link, request=request, what=AccessKind.STATEMENT)
    return statement_response(job)
