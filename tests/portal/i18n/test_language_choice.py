"""Who reads which language (issue 9): German by default, the browser's Accept-Language for
visitors, the profile for signed-in users, and the switcher on every page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _heading(client: Client, path: str = LOGIN) -> str:
    text = client.get(path).content.decode()
    return text.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_visitors_read_german_unless_their_browser_asks_for_english() -> None:
    assert settings.LANGUAGE_CODE == "de"
    assert _heading(Client()) == "Anmelden"
    assert _heading(Client(headers={"Accept-Language": "en-GB,en;q=0.9"})) == "Sign in"
    assert (
        _heading(Client(headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "Anmelden"
    )  # not offered: German


def test_the_switcher_works_for_visitors_and_stays_on_the_page() -> None:
    client = Client(headers={"Accept-Language": "de"})
    response = client.post(reverse("accounts:language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert _heading(client) == "Sign in"  # the cookie beats Accept-Language


def test_the_switcher_never_redirects_off_site() -> None:
    response = Client().post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and not response["Location"].startswith(
        "https://evil.example"
    )


def test_the_switcher_saves_the_signed_in_users_choice(alice: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:language"), {"language": "de", "next": "/organizations/"})
    alice.refresh_from_db()
    assert alice.language == "de"
    # Another browser, asking for English, still reads German: the profile wins.
    elsewhere = Client(headers={"Accept-Language": "en"})
    elsewhere.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert elsewhere.get("/organizations/")["Content-Language"] == "de"


def test_an_unknown_language_changes_nothing(alice: User) -> None:
    alice.language = "en"
    alice.save()
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "en"


def test_the_language_cookie_is_as_strict_as_the_session_cookie() -> None:
    response = Client().post(reverse("accounts:language"), {"language": "en", "next": LOGIN})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert settings.LANGUAGE_COOKIE_NAME == "__Host-language"  # tests run with secure cookies
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/" and not cookie["domain"]
