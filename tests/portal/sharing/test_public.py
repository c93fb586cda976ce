"""The customer's link pages (reliability.md L2–L7, L9, L10, F6): no login, one document,
uniform 404, private headers, throttled guessing, scanners change nothing, Lexware never called.
"""

from __future__ import annotations

import re
import secrets
import statistics
import time
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lexware import key_fingerprint
from portal.documents.models import Document
from portal.files.models import DocumentFile
from portal.files.services import FILES_FETCH
from portal.files.storage import download_filename
from portal.operations.models import Operation
from portal.organizations.models import LexwareConnection
from portal.sharing.models import ShareAccess, ShareLink
from portal.sharing.services import share_link_create
from portal.sharing.tokens import token_hash
from tests.portal.files.conftest import KEY, make_invoice
from tests.portal.permission_inventory import INVENTORY


def _body(response: Any) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(
        r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", response.content.decode()
    )


def _lexware_calls(sim: Any, since: float) -> list[dict[str, Any]]:
    return sim.requests_since(since, key_fingerprint(KEY))


def test_the_page_shows_the_document_and_downloads_the_pdf(
    link_token, invoice_with_pdf, sim
) -> None:
    client = Client()
    since = time.time()
    code = ShareLink.objects.get().code
    page = client.get(f"/s/{link_token}/", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and page.redirect_chain == [(f"/s/v/{code}/", 302)]
    assert invoice_with_pdf.voucher_number in html and "Demo Werkstatt GmbH" in html
    assert f"/s/v/{code}/pdf/" in html and f"/s/v/{code}/preview/" in html
    assert link_token not in html
    pdf = client.get(f"/s/v/{code}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert _lexware_calls(sim, since) == []  # storage only (L10)
    kinds = list(ShareAccess.objects.order_by("at").values_list("what", flat=True))
    assert kinds == ["page", "pdf"]


def test_l6_private_headers_on_every_answer(link_token, invoice_with_pdf) -> None:
    client = Client()
    code = ShareLink.objects.get().code
    for url in (
        f"/s/{link_token}/",
        f"/s/{link_token}/pdf/",
        f"/s/v/{code}/",
        f"/s/v/{code}/pdf/",
        f"/s/{'A' * 43}/",
        "/s/junk/",
        f"/s/v/{uuid.uuid4()}/",
    ):
        response = client.get(url)
        assert response["Referrer-Policy"] == "no-referrer", url
        assert "noindex" in response["X-Robots-Tag"], url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = client.get(f"/s/{link_token}/", follow=True).content.decode()
    assert 'name="robots" content="noindex' in html
    assert not re.search(
        r'(src|href)="https?://', html.replace("http://127.0.0.1", "")
    )  # no third-party assets


def _invalid_cases(
    link_token: str, invoice_with_pdf: Document, bob: Any, lexware: Any
) -> dict[str, str]:
    organization = invoice_with_pdf.organization

    def link_for(document: Document, **fields: Any) -> str:
        _, token = share_link_create(
            organization=organization,
            document=document,
            user=bob,
            expires_at=timezone.now() + timedelta(days=3),
        )
        ShareLink.objects.filter(token_hash=token_hash(token)).update(**fields)
        return token

    deleted = make_invoice(lexware, organization)
    voided = make_invoice(lexware, organization)
    cases = {
        "unknown": secrets.token_urlsafe(32),
        "expired": link_for(invoice_with_pdf, expires_at=timezone.now() - timedelta(seconds=1)),
        "revoked": link_for(invoice_with_pdf, revoked_at=timezone.now()),
        "deleted document": link_for(deleted),
        "voided document": link_for(voided),
        "one character off": link_token[:-1] + ("A" if link_token[-1] != "A" else "B"),
    }
    Document.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    Document.objects.filter(pk=voided.pk).update(status="voided")
    return cases


def test_l2_every_invalid_link_gets_the_same_404_and_no_lexware_call(
    link_token, invoice_with_pdf, bob, lexware, sim, caplog
) -> None:
    cases = _invalid_cases(link_token, invoice_with_pdf, bob, lexware)
    client = Client()
    since = time.time()
    reference = client.get(f"/s/{secrets.token_urlsafe(32)}/")
    assert reference.status_code == 404
    for name, token in cases.items():
        response = client.get(f"/s/{token}/")
        assert response.status_code == 404, name
        assert _body(response) == _body(reference), name
        assert token not in response.content.decode()
    # A disconnected organization's links stop as well.
    assert client.get(f"/s/{link_token}/").status_code == 302
    LexwareConnection.objects.filter(organization=invoice_with_pdf.organization).delete()
    assert _body(client.get(f"/s/{link_token}/")) == _body(reference)
    assert _lexware_calls(sim, since) == []
    # Logged with a hash prefix only, never the token.
    assert all(token not in caplog.text for token in cases.values())
    assert "customer link not found (hash " in caplog.text


def test_l3_unknown_and_expired_tokens_take_the_same_time(
    link_token, invoice_with_pdf, bob, settings
) -> None:
    """Lookup by the SHA-256 of the token in one indexed query: existence does not show."""
    _, expired = share_link_create(
        organization=invoice_with_pdf.organization,
        document=invoice_with_pdf,
        user=bob,
        expires_at=timezone.now() + timedelta(days=1),
    )
    ShareLink.objects.filter(token_hash=token_hash(expired)).update(expires_at=timezone.now())
    settings.SHARE_LINK_MISSES_PER_IP = "100000/m"  # this test measures the lookup only
    client = Client()
    times: dict[str, list[float]] = {"unknown": [], "expired": []}
    for _ in range(500):
        for name in ("unknown", "expired"):
            token = expired if name == "expired" else secrets.token_urlsafe(32)
            start = time.perf_counter()
            assert client.get(f"/s/{token}/").status_code == 404
            times[name].append(time.perf_counter() - start)
    difference = abs(statistics.median(times["unknown"]) - statistics.median(times["expired"]))
    assert difference < 0.003, difference


def test_l4_guessing_from_one_address_is_throttled_other_addresses_are_not(
    link_token, invoice_with_pdf, settings
) -> None:
    settings.SHARE_LINK_MISSES_PER_IP = "30/m"
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    answers = [guesser.get(f"/s/{secrets.token_urlsafe(32)}/").status_code for _ in range(200)]
    assert answers[:30] == [404] * 30 and set(answers[30:]) == {429}
    assert guesser.get(f"/s/{link_token}/")["Retry-After"] == "60"
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.get(f"/s/{link_token}/", follow=True).status_code == 200


def test_l5_a_link_opens_nothing_else(link_token, invoice_with_pdf) -> None:
    """With only the link, every staff and htmx route sends to the sign-in or 404s; no session
    is created; the page lists no other document of the customer."""
    client = Client()
    client.get(f"/s/{link_token}/", follow=True)
    client.get(f"/s/{link_token}/pdf/", follow=True)
    assert "sessionid" not in "".join(client.cookies.keys()).lower()
    other = make_invoice_in_mirror(invoice_with_pdf)
    html = client.get(f"/s/{link_token}/", follow=True).content.decode()
    assert other.voucher_number not in html
    slug = invoice_with_pdf.organization.slug
    for name, route in INVENTORY.items():
        if route.kind not in ("org", "global", "staff"):
            continue
        if route.kwargs is not None:
            continue  # those need objects; the ones without cover every area's entry page
        kwargs = {"org_slug": slug} if route.kind == "org" else {}
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(reverse(name, kwargs=kwargs), headers=headers)
            assert response.status_code in (302, 404, 405), (name, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], name


def make_invoice_in_mirror(document: Document) -> Document:
    from tests.portal.conftest import make_document

    return make_document(
        document.organization, number="RE-ANDERE-9", contact_name=document.contact_name
    )


def test_l7_scanner_head_requests_change_nothing(link_token, invoice_with_pdf) -> None:
    scanner = Client()
    code = ShareLink.objects.get().code
    for url in (f"/s/{link_token}/", f"/s/{link_token}/pdf/"):
        assert scanner.head(url).status_code == 302
    for url in (f"/s/v/{code}/", f"/s/v/{code}/pdf/"):
        assert scanner.head(url).status_code == 200  # with the cookie the HEAD was given
    assert not ShareAccess.objects.exists()
    assert not Operation.objects.exists()
    customer = Client()
    assert customer.get(f"/s/{link_token}/", follow=True).status_code == 200  # not burnt
    assert Client().get(f"/s/{link_token}/", follow=True).status_code == 200  # multi-use
    assert ShareAccess.objects.count() == 2
    assert customer.post(f"/s/{link_token}/").status_code == 405
    assert customer.post(f"/s/v/{code}/").status_code == 405


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(number=st.text(min_size=1, max_size=60))
def test_l9_document_numbers_cannot_break_content_disposition(number: str) -> None:
    import io

    from django.http import FileResponse

    document = Document(voucher_type="invoice", voucher_number=number)
    name = download_filename(document, "pdf")
    assert re.fullmatch(r"[\w.-]+\.pdf", name), name
    response = FileResponse(
        io.BytesIO(b""), as_attachment=True, filename=name, content_type="application/pdf"
    )
    header = response["Content-Disposition"]
    assert "\r" not in header and "\n" not in header and header.startswith("attachment;")


def test_l10_lexware_down_the_cached_pdf_is_served_else_being_prepared(
    link_token, invoice_with_pdf, bob, lexware, org_a, sim, settings
) -> None:
    settings.LEXWARE_IN_PROCESS_SIMULATOR = False
    settings.LEXWARE_BASE_URL = "http://127.0.0.1:9"  # nothing listens: Lexware is down
    client = Client()
    assert client.get(f"/s/{link_token}/pdf/", follow=True).status_code == 200
    # A document whose PDF was never fetched: "being prepared", 503 + Retry-After for the file.
    settings.LEXWARE_IN_PROCESS_SIMULATOR = True
    fresh = make_invoice(lexware, org_a)
    settings.LEXWARE_IN_PROCESS_SIMULATOR = False
    _, token = share_link_create(
        organization=org_a, document=fresh, user=bob, expires_at=timezone.now() + timedelta(days=3)
    )
    page = client.get(f"/s/{token}/", follow=True)
    assert page.status_code == 200 and 'http-equiv="refresh"' in page.content.decode()
    pdf = client.get(f"/s/{token}/pdf/", follow=True)
    assert pdf.status_code == 503 and pdf["Retry-After"] == "10"
    # The fetch goes to a worker through the per-key limiter, joined, never from the request.
    assert Operation.objects.filter(kind=FILES_FETCH, target_id=str(fresh.lexware_id)).count() == 1
    assert not DocumentFile.objects.filter(document=fresh).exists()


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    token=st.one_of(
        st.text(min_size=1, max_size=300),
        st.text(
            alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            min_size=43,
            max_size=43,
        ),
        st.text(min_size=500, max_size=5000),
    )
)
def test_f6_hostile_tokens_get_the_uniform_404(token: str, db: None) -> None:
    from django.core.cache import cache

    cache.clear()
    for suffix in ("", "pdf/", "xml/", "preview/"):
        response = Client().get(f"/s/{quote(token, safe='')}/{suffix}")
        assert response.status_code == 404, (token, suffix, response.status_code)
        assert response["Referrer-Policy"] == "no-referrer" or response.status_code == 404


def test_a_failed_fetch_is_not_requeued_by_every_visit(bob, lexware, org_a, sim) -> None:
    """While Lexware refuses the file (a failed fetch minutes ago), reloading the customer page
    queues nothing new; after the pause the next visit tries again."""
    fresh = make_invoice(lexware, org_a)
    _, token = share_link_create(
        organization=org_a, document=fresh, user=bob, expires_at=timezone.now() + timedelta(days=3)
    )
    Operation.objects.create(
        organization=org_a,
        kind=FILES_FETCH,
        target_id=str(fresh.lexware_id),
        state="failed",
        finished_at=timezone.now() - timedelta(minutes=1),
    )
    client = Client()
    for _ in range(3):
        assert client.get(f"/s/{token}/", follow=True).status_code == 200
    assert Operation.objects.filter(kind=FILES_FETCH).count() == 1
    Operation.objects.filter(kind=FILES_FETCH).update(
        finished_at=timezone.now() - timedelta(minutes=6)
    )
    client.get(f"/s/{token}/", follow=True)
    assert Operation.objects.filter(kind=FILES_FETCH).count() == 2
