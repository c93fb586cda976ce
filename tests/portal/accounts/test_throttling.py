"""Login throttling with django-axes (reliability.md S5)."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from portal.accounts.models import User
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _attempt(client: Client, email: str, password: str) -> int:
    return client.post(LOGIN, {"username": email, "password": password}).status_code


def test_five_failures_lock_the_account_on_this_address_with_a_generic_message(alice: User, bob: User) -> None:
    client = Client()
    statuses = [_attempt(client, "alice@example.org", f"wrong-{n}") for n in range(5)]
    assert statuses[:4] == [200, 200, 200, 200]
    # Even the right password is refused now.
    response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 429
    text = response.content.decode()
    assert "Zu viele Versuche" in text  # German: the default for a browser that asks for nothing
    assert "alice@example.org" not in text
    # Another account from the same address is not affected.
    other = Client()
    assert other.post(LOGIN, {"username": "bob@example.org", "password": PASSWORD}).status_code == 302


def test_a_locked_out_user_can_still_reset_the_password(alice: User) -> None:
    client = Client()
    for n in range(6):
        _attempt(client, "alice@example.org", f"wrong-{n}")
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_the_lockout_ends_after_the_cool_off(alice: User) -> None:
    import time_machine

    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as traveller:
        client = Client()
        for n in range(5):
            _attempt(client, "alice@example.org", f"wrong-{n}")
        assert _attempt(client, "alice@example.org", PASSWORD) == 429
        traveller.shift(16 * 60)
        assert _attempt(client, "alice@example.org", PASSWORD) == 302


def test_over_long_names_and_user_agents_are_refused_cleanly(client, db) -> None:
    """On PostgreSQL an over-long value once reached axes' varchar(255) columns: a 500."""
    from django.urls import reverse

    response = client.post(reverse("accounts:login"), {"username": "a" * 5000 + "@example.org", "password": "x"})
    assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": "nobody@example.org", "password": "x"}, HTTP_USER_AGENT="U" * 5000
    )
    assert response.status_code == 200
