"""Sign-in, sessions and cookies (reliability.md S3, S4, S9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _login(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(LOGIN, {"username": email, "password": password})


def test_it_signs_in_with_the_e_mail_address_in_any_case(alice: User) -> None:
    client = Client()
    response = _login(client, "Alice@Example.ORG")
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:home")
    assert client.get(reverse("dashboard:index", kwargs={"org_slug": "alpha"})).status_code == 200


def test_a_wrong_password_gets_one_generic_message(alice: User) -> None:
    wrong = _login(Client(), "alice@example.org", "not the password")
    unknown = _login(Client(), "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    # A browser that asks for no language reads the German default.
    assert "E-Mail-Adresse oder Passwort ist nicht korrekt." in wrong.content.decode()
    assert "E-Mail-Adresse oder Passwort ist nicht korrekt." in unknown.content.decode()


def test_session_cookie_has_host_prefix_and_safe_attributes(alice: User) -> None:
    response = _login(Client(), "alice@example.org")
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""


def test_csrf_cookie_has_host_prefix(client: Client) -> None:
    response = client.get(LOGIN)
    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] is True and cookie["path"] == "/" and cookie["domain"] == ""


def test_the_session_key_changes_at_sign_in(alice: User) -> None:
    client = Client()
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted_key = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted_key
    _login(client, "alice@example.org")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()


def test_logout_is_post_only_and_ends_the_server_side_session(alice: User) -> None:
    client = Client()
    _login(client, "alice@example.org")
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert not Session.objects.filter(session_key=old_key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get(reverse("dashboard:index", kwargs={"org_slug": "alpha"}))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_an_idle_session_ends_after_the_timeout(alice: User) -> None:
    dashboard = reverse("dashboard:index", kwargs={"org_slug": "alpha"})
    with time_machine.travel("2026-03-02 09:00 +0000", tick=False) as traveller:
        client = Client()
        _login(client, "alice@example.org")
        assert client.get(dashboard).status_code == 200
        traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60))
        assert client.get(dashboard).status_code == 200  # activity keeps it alive
        traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS + 1))
        response = client.get(dashboard)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_password_change_keeps_this_session_and_ends_the_others(alice: User) -> None:
    here, elsewhere = Client(), Client()
    _login(here, "alice@example.org")
    _login(elsewhere, "alice@example.org")
    new_password = "a-new-and-long-passphrase-42"
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    dashboard = reverse("dashboard:index", kwargs={"org_slug": "alpha"})
    assert here.get(dashboard).status_code == 200
    response = elsewhere.get(dashboard)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    alice.refresh_from_db()
    assert alice.check_password(new_password)


def test_password_change_with_a_wrong_old_password_shows_the_error(
    alice: User, client_for: Any
) -> None:
    client = client_for(alice)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x-long-passphrase-9",
            "new_password2": "x-long-passphrase-9",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="password-form"' in response.content.decode()
    assert "<html" not in response.content.decode()  # the partial only
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_removed_member_loses_the_organization_on_the_next_request(
    alice: User, bob: User, org_a: Any, client_for: Any
) -> None:
    """reliability.md S4: removal takes effect at once, in the session bob already has."""
    bob_client = client_for(bob)
    assert bob_client.get("/o/alpha/contacts/").status_code == 200
    from portal.organizations import services
    from portal.organizations.models import Membership

    services.membership_remove(
        actor=Membership.objects.get(user=alice, organization=org_a),
        membership=Membership.objects.get(user=bob, organization=org_a),
    )
    assert bob_client.get("/o/alpha/contacts/").status_code == 404
    assert bob_client.get("/o/alpha/").status_code == 404


def test_a_rotated_secret_key_keeps_sessions_and_signed_values(alice: User, settings: Any) -> None:
    """reliability.md K6: with the old key in SECRET_KEY_FALLBACKS nobody is signed out and
    signed values (reset links, signed cookies) stay valid; without it they are refused."""
    from django.core import signing

    old = settings.SECRET_KEY
    during, after = Client(), Client()
    during.force_login(alice)
    after.force_login(alice)
    signed = signing.dumps({"purpose": "test"}, salt="k6")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "k6-new-" + "x" * 50, [old]
    assert (
        during.get("/accounts/profile/").status_code == 200
    )  # verified by the fallback, re-signed
    assert signing.loads(signed, salt="k6") == {"purpose": "test"}
    settings.SECRET_KEY_FALLBACKS = []
    assert during.get("/accounts/profile/").status_code == 200  # moved to the new key in time
    assert after.get("/accounts/profile/").status_code == 302  # never seen during the rotation
    with pytest.raises(signing.BadSignature):
        signing.loads(signed, salt="k6")


def test_an_operator_signs_a_user_out_everywhere(
    alice: User, operator: User, client_for: Any
) -> None:
    """Issue 16 item 7: every session of the user ends at its next request, with an audit entry."""
    from django.contrib.admin.models import LogEntry

    operator.is_superuser = True  # the user admin's change permission
    operator.save()
    laptop, phone = client_for(alice), client_for(alice)
    assert laptop.get("/accounts/profile/").status_code == 200
    assert phone.get("/accounts/profile/").status_code == 200
    admin = client_for(operator)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [alice.pk]},
    )
    assert response.status_code == 302
    for client in (laptop, phone):
        assert client.get("/accounts/profile/").status_code == 302  # to the sign-in page
    assert LogEntry.objects.filter(
        object_id=str(alice.pk), change_message__startswith="Signed out everywhere"
    ).exists()
    fresh = Client()
    assert (
        fresh.post(
            "/accounts/login/", {"username": "alice@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )
    assert fresh.get("/accounts/profile/").status_code == 200  # a new sign-in works at once


@pytest.mark.django_db
def test_the_engine_reads_a_session_as_djangos_own_database_engine_does() -> None:
    """portal.accounts.sessions writes the per-request read out as SQL; it must answer as
    Django's ORM read does: live sessions with their data, expired, unknown, malformed and
    missing keys as no session (and a new key on the next save)."""
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from portal.accounts.sessions import SessionStore

    assert settings.SESSION_ENGINE == "portal.accounts.sessions"
    live = SessionStore()
    live["last_organization"] = "alpha"
    live["count"] = 3
    live.save()
    expired = SessionStore()
    expired["x"] = 1
    expired.save()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (live.session_key, expired.session_key, "k" * 32, "short", None):
        ours, theirs = SessionStore(key), DjangoStore(key)
        assert ours.load() == theirs.load(), key
        assert ours.session_key == theirs.session_key, key
    assert SessionStore(live.session_key).load() == {"last_organization": "alpha", "count": 3}
    loaded = SessionStore(live.session_key)._get_session_from_db()
    stored = Session.objects.get(session_key=live.session_key)
    assert (loaded.session_key, loaded.session_data, loaded.expire_date) == (
        stored.session_key,
        stored.session_data,
        stored.expire_date,
    )
    # An expired session is not resurrected: saving it makes a new key, as with Django's.
    revived = SessionStore(expired.session_key)
    revived["y"] = 2
    revived.save()
    assert revived.session_key != expired.session_key
