"""Staff side of customer links: members create, revoke and reissue; viewers see the list and
its access log; only the token's hash is stored (reliability.md L1, L8)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal.documents.models import Document
from portal.sharing.models import ShareAccess, ShareLink
from portal.sharing.services import default_expiry
from portal.sharing.tokens import TOKEN_PATTERN, new_token, token_hash
from tests.portal.files.conftest import make_invoice


def _links_url(document: Document) -> str:
    return reverse("sharing:links", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id})


def _create_url(document: Document) -> str:
    return reverse(
        "sharing:create", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id}
    )


def _shown_url(html: str) -> str:
    match = re.search(r'<p class="share-url">([^<]+)</p>', html)
    assert match, "the new link is not shown"
    return match.group(1)


def _valid_until(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_l1_tokens_are_256_random_bits_url_safe_and_only_hashed() -> None:
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(TOKEN_PATTERN.fullmatch(t) for t in tokens)  # 43 × 6 bits ≥ 256 bits
    assert token_hash("a") != token_hash("b") and len(token_hash("a")) == 64


def test_a_member_creates_a_link_shown_once_and_only_its_hash_is_stored(
    client_for, bob, invoice_with_pdf
) -> None:
    client = client_for(bob)
    page = client.get(_links_url(invoice_with_pdf)).content.decode()
    assert 'name="expires_on"' in page
    response = client.post(_create_url(invoice_with_pdf), {"expires_on": _valid_until(40)})
    url = _shown_url(response.content.decode())
    token = url.rstrip("/").rsplit("/", 1)[-1]
    link = ShareLink.objects.get(document=invoice_with_pdf)
    assert link.token_hash == token_hash(token) and link.created_by == bob
    # L1: the raw token is nowhere in the database (every text column of every table).
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM sharing_sharelink")
        rows = cursor.fetchall()
    assert token not in repr(rows)
    # Shown once: the list page does not show it again.
    assert token not in client.get(_links_url(invoice_with_pdf)).content.decode()
    opened = client_for(None).get(url.replace("http://127.0.0.1:8000", ""), follow=True)
    assert opened.status_code == 200


def test_the_default_expiry_is_30_days_after_the_due_date_never_more_than_120(
    invoice_with_pdf,
) -> None:
    now = timezone.now()
    invoice_with_pdf.due_date = now + timedelta(days=14)
    assert default_expiry(invoice_with_pdf, now) == now + timedelta(days=44)
    invoice_with_pdf.due_date = now + timedelta(days=200)
    assert default_expiry(invoice_with_pdf, now) == now + timedelta(days=120)
    invoice_with_pdf.due_date = now - timedelta(days=10)  # overdue: from today
    assert default_expiry(invoice_with_pdf, now) == now + timedelta(days=30)


def test_an_expiry_beyond_120_days_or_in_the_past_is_refused_on_the_field(
    client_for, bob, invoice_with_pdf
) -> None:
    client = client_for(bob)
    for day in (_valid_until(121), _valid_until(0), "31.02.2026", "x" * 500):
        html = client.post(_create_url(invoice_with_pdf), {"expires_on": day}).content.decode()
        assert 'id="id_expires_on_error"' in html, day
    assert not ShareLink.objects.exists()


def test_a_draft_cannot_be_shared(client_for, bob, lexware, org_a) -> None:
    draft = make_invoice(lexware, org_a, finalize=False)
    client = client_for(bob)
    html = client.get(_links_url(draft)).content.decode()
    assert 'name="expires_on"' not in html
    client.post(_create_url(draft), {"expires_on": _valid_until(10)})
    assert not ShareLink.objects.exists()


def test_viewers_see_links_and_the_access_log_but_no_buttons(
    client_for, carol, link_token, invoice_with_pdf
) -> None:
    client_for(None).get(f"/s/{link_token}/", HTTP_USER_AGENT="Mozilla/5.0 Kundentest", follow=True)
    client_for(None).get(f"/s/{link_token}/pdf/", REMOTE_ADDR="2001:db8:1:2::7", follow=True)
    html = client_for(carol).get(_links_url(invoice_with_pdf)).content.decode()
    assert "Mozilla/5.0 Kundentest" in html
    assert "127.0.0.0/24" in html and "2001:db8:1::/48" in html  # prefixes, not addresses
    assert 'name="expires_on"' not in html and "/revoke/" not in html and "/regenerate/" not in html
    detail = (
        client_for(carol)
        .get(
            reverse(
                "documents:detail",
                kwargs={"org_slug": "alpha", "lexware_id": invoice_with_pdf.lexware_id},
            )
        )
        .content.decode()
    )
    assert f"/documents/sharing/{invoice_with_pdf.lexware_id}/" in detail


def test_l8_revoke_and_new_address_stop_the_old_token_at_once(
    client_for, bob, link_token, invoice_with_pdf
) -> None:
    public = client_for(None)
    assert public.get(f"/s/{link_token}/", follow=True).status_code == 200
    link = ShareLink.objects.get()
    page = f"/s/v/{link.code}/"
    assert public.get(page).status_code == 200  # the browser holds the exchanged cookie
    client = client_for(bob)
    html = client.post(
        reverse("sharing:regenerate", kwargs={"org_slug": "alpha", "code": link.code})
    ).content.decode()
    new_token_ = _shown_url(html).rstrip("/").rsplit("/", 1)[-1]
    assert public.get(page).status_code == 404  # its cookie holds the old token's hash
    assert public.get(f"/s/{link_token}/").status_code == 404
    assert public.get(f"/s/{new_token_}/", follow=True).status_code == 200
    assert ShareAccess.objects.filter(link=link).count() == 3  # the log stays with the link
    client.post(reverse("sharing:revoke", kwargs={"org_slug": "alpha", "code": link.code}))
    assert public.get(page).status_code == 404  # the cookie stops at once
    assert public.get(f"/s/{new_token_}/").status_code == 404
    assert public.get(f"/s/{new_token_}/pdf/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_by == bob and link.state == "revoked"


def test_the_document_page_counts_active_links(
    client_for, bob, link_token, invoice_with_pdf: Any
) -> None:
    html = (
        client_for(bob)
        .get(
            reverse(
                "documents:detail",
                kwargs={"org_slug": "alpha", "lexware_id": invoice_with_pdf.lexware_id},
            )
        )
        .content.decode()
    )
    assert "1 active link" in html or "1 aktiver Link" in html
