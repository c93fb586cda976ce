"""Profile, language, password reset e-mail, security headers (reliability.md S2)."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from portal.accounts.models import User


def test_profile_saves_name_and_language_and_the_language_is_used(
    alice: User, client_for: Any
) -> None:
    client = client_for(alice)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "  Alice   A.  ", "language": "en"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.full_name, alice.language) == ("Alice A.", "en")
    page = client.get(reverse("org:members", kwargs={"org_slug": "alpha"}))
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()
    client.post(reverse("accounts:profile"), {"full_name": "Alice", "language": "de"})
    page = client.get(reverse("org:members", kwargs={"org_slug": "alpha"}))
    assert page["Content-Language"] == "de"


def test_profile_ignores_fields_it_does_not_offer(alice: User, client_for: Any) -> None:
    client_for(alice).post(
        reverse("accounts:profile"),
        {
            "full_name": "Alice",
            "language": "de",
            "is_staff": "on",
            "is_superuser": "on",
            "email": "evil@example.org",
        },
    )
    alice.refresh_from_db()
    assert (alice.is_staff, alice.is_superuser, alice.email) == (False, False, "alice@example.org")


@override_settings(SITE_URL="https://portal.example.com")
def test_password_reset_link_uses_site_url_not_the_host_header(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/accounts/password/reset/",
            {"email": "alice@example.org"},
            headers={"Host": "localhost"},
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https://portal\.example\.com/accounts/password/reset/\S+/\S+/", body)
    assert link, body
    assert "localhost" not in body
    # Following the link lets her set a new password.
    client = Client()
    response = client.get(link.group(0).removeprefix("https://portal.example.com"), follow=True)
    assert response.status_code == 200 and "new_password1" in response.content.decode()


def test_password_reset_answers_the_same_for_unknown_addresses(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounts:password_reset_done"
    )
    assert mail.outbox == []


def test_pages_carry_a_strict_content_security_policy(alice: User, client_for: Any) -> None:
    for client, url in ((Client(), "/accounts/login/"), (client_for(alice), "/o/alpha/members/")):
        csp = client.get(url)["Content-Security-Policy"]
        assert "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp


def test_signed_in_pages_are_not_stored(alice: User, client_for: Any) -> None:
    client = client_for(alice)
    for url in ("/o/alpha/", "/o/alpha/members/", "/accounts/profile/", "/organizations/"):
        for headers in ({}, {"HX-Request": "true"}):
            assert "no-store" in client.get(url, headers=headers)["Cache-Control"], url


def test_pages_have_no_inline_scripts_styles_or_hx_on(
    alice: User, dave: User, client_for: Any
) -> None:
    """CSP forbids inline code (reliability.md S8); catch it in the HTML before a browser does."""
    pages = [
        (Client(), "/accounts/login/"),
        (Client(), "/accounts/password/reset/"),
        (client_for(alice), "/o/alpha/"),
        (client_for(alice), "/o/alpha/members/"),
        (client_for(alice), "/organizations/"),
        (client_for(alice), "/organizations/new/"),
        (client_for(alice), "/accounts/profile/"),
        (client_for(alice), "/accounts/password/"),
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert "hx-on" not in html and " onclick=" not in html, url
        assert '"allowEval":false' in html and '"historyCacheSize":0' in html, url
