"""Where MFA is required (operators; owners and admins of organizations that turn it on), the
operator's reset, and sudo mode before sensitive changes (issue 16 item 1, reliability.md S6)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.organizations.models import LexwareConnection, Organization
from tests.conftest import PASSWORD, enrol_totp, totp_code

BACKOFFICE_URLS = ("/backoffice/", "/backoffice/admin/", "/backoffice/admin/accounts/user/")
API_KEY = "lx-test-key-0123456789abcdef"


@pytest.fixture
def bare_operator(db: None) -> User:
    """An operator who has not enrolled yet."""
    return User.objects.create_user(
        "newop@example.org", PASSWORD, full_name="New Operator", is_staff=True, is_superuser=True
    )


# ---------------------------------------------------------------- operators


@pytest.mark.parametrize("url", BACKOFFICE_URLS)
def test_an_operator_without_mfa_is_sent_to_enrolment(
    url: str, bare_operator: User, client_for: Any
) -> None:
    response = client_for(bare_operator).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/?next=")


@pytest.mark.parametrize("url", BACKOFFICE_URLS)
def test_an_operator_with_a_password_only_session_is_asked_for_the_code(
    url: str, operator: User, client_for: Any
) -> None:
    response = client_for(operator, mfa_verified=False).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/?next=")


@pytest.mark.parametrize("url", BACKOFFICE_URLS)
def test_an_operator_with_a_verified_session_gets_in(
    url: str, operator: User, client_for: Any
) -> None:
    operator.is_superuser = True
    operator.save()
    assert client_for(operator).get(url).status_code == 200


def test_an_operator_signs_in_with_password_and_code_and_reaches_the_admin(operator: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.post(
        "/accounts/login/",
        {"username": operator.email, "password": PASSWORD, "next": "/backoffice/"},
    )
    # Not signed in after the password: the backoffice does not even exist for this session.
    assert client.get("/backoffice/").status_code == 404
    response = client.post(
        "/accounts/login/code/", {"code": totp_code(TOTPDevice.objects.get(user=operator))}
    )
    assert response["Location"] == "/backoffice/"
    assert client.get("/backoffice/").status_code == 200


def test_non_operators_still_get_404_from_the_backoffice(alice: User, client_for: Any) -> None:
    enrol_totp(alice)
    for url in BACKOFFICE_URLS:
        assert client_for(alice).get(url).status_code == 404


# ---------------------------------------------------------------- organizations that require MFA


@pytest.fixture
def strict_org(org_a: Organization) -> Organization:
    org_a.require_mfa_for_admins = True
    org_a.save()
    return org_a


def test_the_requirement_applies_to_owners_and_admins_only(
    strict_org: Organization, alice: User, dave: User, bob: User, carol: User, client_for: Any
) -> None:
    for user in (alice, dave):
        for url in ("/o/alpha/", "/o/alpha/members/", "/o/alpha/connection/"):
            response = client_for(user).get(url)
            assert response.status_code == 302, (user.email, url)
            assert response["Location"].startswith("/accounts/mfa/?next="), (user.email, url)
        htmx = client_for(user).get("/o/alpha/contacts/", headers={"HX-Request": "true"})
        assert htmx.headers["HX-Redirect"].startswith("/accounts/mfa/?next=")
    for user in (bob, carol):
        assert client_for(user).get("/o/alpha/").status_code == 200
        assert client_for(user).get("/o/alpha/members/").status_code == 200


def test_an_enrolled_admin_needs_a_verified_session(
    strict_org: Organization, dave: User, client_for: Any
) -> None:
    enrol_totp(dave)
    response = client_for(dave, mfa_verified=False).get("/o/alpha/")
    assert response["Location"].startswith("/accounts/login/code/?next=")
    assert client_for(dave).get("/o/alpha/").status_code == 200


def test_other_organizations_are_unaffected(
    strict_org: Organization, charlie: User, client_for: Any
) -> None:
    assert client_for(charlie).get("/o/beta/").status_code == 200
    assert client_for(charlie).get("/o/alpha/").status_code == 404


def test_owners_turn_the_requirement_on_after_enrolling_themselves(
    org_a: Organization, alice: User, dave: User, client_for: Any
) -> None:
    refused = client_for(alice).post("/o/alpha/members/mfa/", {"required": "on"})
    assert refused.status_code == 302
    org_a.refresh_from_db()
    assert not org_a.require_mfa_for_admins

    enrol_totp(alice)
    client_for(alice).post("/o/alpha/members/mfa/", {"required": "on"})
    org_a.refresh_from_db()
    assert org_a.require_mfa_for_admins
    assert 'value="off"' in client_for(alice).get("/o/alpha/members/").content.decode()

    assert client_for(dave).post("/o/alpha/members/mfa/", {"required": "off"}).status_code in (
        302,
        403,
    )
    org_a.refresh_from_db()
    assert org_a.require_mfa_for_admins
    client_for(alice).post("/o/alpha/members/mfa/", {"required": "off"})
    org_a.refresh_from_db()
    assert not org_a.require_mfa_for_admins


def test_admins_cannot_change_the_requirement(
    org_a: Organization, dave: User, client_for: Any
) -> None:
    assert client_for(dave).post("/o/alpha/members/mfa/", {"required": "on"}).status_code == 403


# ---------------------------------------------------------------- reset by an operator


def _reset(client: Client, user: User) -> Any:
    return client.post(
        "/backoffice/admin/accounts/user/", {"action": "reset_mfa", "_selected_action": [user.pk]}
    )


def test_an_operator_resets_a_users_mfa_with_an_audit_entry(
    operator: User, alice: User, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    operator.is_superuser = True
    operator.save()
    device = enrol_totp(alice)
    codes = list(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True))
    client = client_for(operator)
    listing = client.get("/backoffice/admin/accounts/user/").content.decode()
    assert device.key not in listing and not any(code in listing for code in codes)

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = _reset(client, alice)
    assert response.status_code == 302
    assert (
        not TOTPDevice.objects.filter(user=alice).exists()
        and not StaticDevice.objects.filter(user=alice).exists()
    )
    entry = LogEntry.objects.get(
        user=operator, object_id=str(alice.pk), change_message__startswith="Two-factor"
    )
    # Whoever holds the lost phone may hold a session too: all of hers ended.
    assert LogEntry.objects.filter(
        object_id=str(alice.pk), change_message__startswith="Signed out everywhere"
    ).exists()
    assert entry.action_flag == CHANGE and "Two-factor authentication reset" in entry.change_message
    assert any(
        r.name == "portal.security" and r.levelno == logging.WARNING and "reset" in r.getMessage()
        for r in caplog.records
    )
    # The user signs in with the password alone again (and would enrol anew).
    client = Client(headers={"Accept-Language": "en"})
    client.post("/accounts/login/", {"username": alice.email, "password": PASSWORD})
    assert client.get("/o/alpha/").status_code == 200


def test_an_operator_cannot_reset_their_own_mfa(operator: User, client_for: Any) -> None:
    operator.is_superuser = True
    operator.save()
    _reset(client_for(operator), operator)
    assert TOTPDevice.objects.filter(user=operator, confirmed=True).exists()
    assert not LogEntry.objects.exists()


def test_device_admins_with_secrets_are_not_on_the_admin_site(
    operator: User, client_for: Any
) -> None:
    operator.is_superuser = True
    operator.save()
    client = client_for(operator)
    assert client.get("/backoffice/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/backoffice/admin/otp_static/staticdevice/").status_code == 404


# ---------------------------------------------------------------- sudo mode


def _later(client: Client, minutes: int) -> time_machine.travel:
    return time_machine.travel(timedelta(minutes=minutes))


def test_a_key_change_needs_a_recent_password(alice: User, client_for: Any) -> None:
    client = client_for(alice)
    with _later(client, 11):
        response = client.post("/o/alpha/connection/save/", {"api_key": API_KEY})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/reauth/?next=%2Fo%2Falpha%2Fconnection%2F"
        assert not LexwareConnection.objects.exists()
        assert client.post("/o/alpha/connection/disconnect/")["Location"].startswith(
            "/accounts/reauth/"
        )
        htmx = client.post(
            "/o/alpha/connection/save/", {"api_key": API_KEY}, headers={"HX-Request": "true"}
        )
        assert htmx.headers["HX-Redirect"].startswith("/accounts/reauth/")

        wrong = client.post(
            "/accounts/reauth/", {"password": "wrong", "next": "/o/alpha/connection/"}
        )
        assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
        back = client.post(
            "/accounts/reauth/", {"password": PASSWORD, "next": "/o/alpha/connection/"}
        )
        assert back["Location"] == "/o/alpha/connection/"
        saved = client.post("/o/alpha/connection/save/", {"api_key": API_KEY})
        assert saved["Location"] == "/o/alpha/connection/"
        assert LexwareConnection.objects.filter(organization__slug="alpha").exists()


def test_a_fresh_sign_in_counts_as_recent(alice: User, client_for: Any) -> None:
    response = client_for(alice).post("/o/alpha/connection/save/", {"api_key": API_KEY})
    assert response["Location"] == "/o/alpha/connection/"


def test_a_password_change_needs_a_recent_password_and_code(alice: User, client_for: Any) -> None:
    device = enrol_totp(alice)
    client = client_for(alice)
    with _later(client, 11):
        response = client.get("/accounts/password/")
        assert response["Location"] == "/accounts/reauth/?next=%2Faccounts%2Fpassword%2F"
        page = client.get(response["Location"]).content.decode()
        assert 'name="code"' in page
        no_code = client.post(
            "/accounts/reauth/", {"password": PASSWORD, "next": "/accounts/password/"}
        )
        assert no_code.status_code == 200
        done = client.post(
            "/accounts/reauth/",
            {"password": PASSWORD, "code": totp_code(device), "next": "/accounts/password/"},
        )
        assert done["Location"] == "/accounts/password/"
        assert client.get("/accounts/password/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/accounts/mfa/setup/start/", "/accounts/mfa/recovery-codes/", "/accounts/mfa/disable/"]
)
def test_mfa_changes_need_a_recent_password(url: str, alice: User, client_for: Any) -> None:
    enrol_totp(alice)
    client = client_for(alice)
    with _later(client, settings.RECENT_AUTH_SECONDS // 60 + 1):
        response = client.post(url)
    assert response["Location"] == "/accounts/reauth/?next=%2Faccounts%2Fmfa%2F"
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=alice).count() == 10


def test_the_reauth_page_only_returns_to_this_site(alice: User, client_for: Any) -> None:
    response = client_for(alice).post(
        "/accounts/reauth/", {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/accounts/profile/"
