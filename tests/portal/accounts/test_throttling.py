"""Login throttling with django-axes (reliability.md S5)."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from portal.accounts.models import User
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _attempt(client: Client, email: str, password: str) -> int:
    return client.post(LOGIN, {"username": email, "password": password}).status_code


def test_five_failures_lock_the_account_on_this_address_with_a_generic_message(
    alice: User, bob: User
) -> None:
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
    assert (
        other.post(LOGIN, {"username": "bob@example.org", "password": PASSWORD}).status_code == 302
    )


def test_a_locked_out_user_can_still_reset_the_password(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    for n in range(6):
        _attempt(client, "alice@example.org", f"wrong-{n}")
    with django_capture_on_commit_callbacks(execute=True):
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

    response = client.post(
        reverse("accounts:login"), {"username": "a" * 5000 + "@example.org", "password": "x"}
    )
    assert response.status_code == 200
    response = client.post(
        reverse("accounts:login"),
        {"username": "nobody@example.org", "password": "x"},
        HTTP_USER_AGENT="U" * 5000,
    )
    assert response.status_code == 200


# Behind the TLS proxy (issue 16 item 2, reliability.md S5). The proxy is 10.0.0.2; it appends
# the address it saw to X-Forwarded-For.
PROXY = "10.0.0.2"


def _via_proxy(client_address: str, spoofed: str = "") -> dict[str, str]:
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_the_client_address_is_read_through_the_trusted_proxies_only(settings: Any) -> None:
    from django.test import RequestFactory

    from portal.core.client_ip import client_ip

    factory = RequestFactory()
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(factory.get("/", **_via_proxy("198.51.100.7"))) == PROXY  # header ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(factory.get("/", **_via_proxy("198.51.100.7"))) == "198.51.100.7"
    assert (
        client_ip(factory.get("/", **_via_proxy("198.51.100.7", spoofed="6.6.6.6")))
        == "198.51.100.7"
    )
    assert client_ip(factory.get("/", REMOTE_ADDR=PROXY)) == PROXY  # not through the proxy
    assert client_ip(factory.get("/", **_via_proxy("not-an-address"))) == PROXY


def test_behind_the_proxy_a_lockout_holds_one_client_not_everyone(
    alice: User, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, colleague = Client(), Client()
    for n in range(5):
        attacker.post(
            LOGIN,
            {"username": "alice@example.org", "password": f"wrong-{n}"},
            **_via_proxy("203.0.113.9"),
        )
    locked = attacker.post(
        LOGIN, {"username": "alice@example.org", "password": PASSWORD}, **_via_proxy("203.0.113.9")
    )
    assert locked.status_code == 429
    # Alice at her desk, through the same proxy, signs in; a spoofed header cannot lock her out either.
    ok = colleague.post(
        LOGIN,
        {"username": "alice@example.org", "password": PASSWORD},
        **_via_proxy("198.51.100.7", spoofed="203.0.113.9"),
    )
    assert ok.status_code == 302


def test_failures_across_accounts_from_one_address_are_limited(
    cast: dict[str, User], settings: Any, db: None
) -> None:
    """Ten accounts with one wrong password each from one address used to all go through."""
    settings.LOGIN_FAILURES_PER_IP = "5/15m"
    client = Client()
    others = [
        User.objects.create_user(f"staff{n}@example.org", PASSWORD, full_name=f"Staff {n}")
        for n in range(6)
    ]
    statuses = [_attempt(client, user.email, "wrong-password") for user in others[:5]]
    assert statuses == [200] * 5
    refused = client.post(LOGIN, {"username": others[5].email, "password": PASSWORD})
    # A browser that asks for no language reads the German default.
    assert (
        refused.status_code == 200
        and "Zu viele fehlgeschlagene Anmeldungen" in refused.content.decode()
    )
    # Another address is not affected.
    assert (
        Client(REMOTE_ADDR="198.51.100.8")
        .post(LOGIN, {"username": others[5].email, "password": PASSWORD})
        .status_code
        == 302
    )


def test_password_resets_are_limited_per_address_and_per_e_mail(
    alice: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Sixteen resets in a row were all sent."""
    settings.PASSWORD_RESETS_PER_EMAIL = "3/h"
    settings.PASSWORD_RESETS_PER_IP = "10/h"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answers = {
            client.post("/accounts/password/reset/", {"email": "alice@example.org"})["Location"]
            for _ in range(16)
        }
    assert answers == {"/accounts/password/reset/sent/"}  # the same answer, throttled or not
    assert len(mail.outbox) == 3
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            client.post("/accounts/password/reset/", {"email": f"someone{n}@example.org"})
    assert len(mail.outbox) == 3


def test_the_reset_request_sends_nothing_itself(alice: User) -> None:
    """The worker sends (after commit); the request only enqueues: no timing difference."""
    response = Client().post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302 and mail.outbox == []
