"""Invitations by e-mail link: hashed token, 7 days, single use, revocable (issue 2 item 5)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from portal.accounts.models import User
from portal.organizations import services
from portal.organizations.models import Invitation, Membership, Organization, Role

NEW_PASSWORD = "a-good-long-passphrase-7"


def _invite(client: Client, email: str = "newbie@example.org", role: str = "member") -> str:
    """Sends an invitation through the page and returns the accept path from the e-mail."""
    with override_settings(SITE_URL="https://portal.example.com"):
        response = client.post("/o/alpha/invitations/", {"email": email, "role": role})
    assert response.status_code == 302, response.content.decode()[:500]
    body = mail.outbox[-1].body
    match = re.search(r"https://portal\.example\.com(/invitations/[A-Za-z0-9_-]{43}/)", body)
    assert match, body
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_the_e_mail_carries_site_url_and_only_the_hash_is_stored(
    alice: User, client_for: Any
) -> None:
    path = _invite(client_for(alice))
    token = path.split("/")[2]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    message = mail.outbox[-1]
    assert message.to == ["newbie@example.org"] and "Alpha Werkstatt GmbH" in message.subject
    assert path in message.alternatives[0][0]


@pytest.mark.django_db(transaction=True)
def test_a_new_person_sets_name_and_password_and_joins(alice: User, client_for: Any) -> None:
    path = _invite(client_for(alice), role="viewer")
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert "newbie@example.org" in page.content.decode()
    response = visitor.post(
        path,
        {
            "full_name": "Nina Neu",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "email": "other@example.org",
            "role": "owner",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/o/alpha/"
    user = User.objects.get(email="newbie@example.org")
    assert user.full_name == "Nina Neu" and user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).role == Role.VIEWER  # the POSTed role is ignored
    assert not User.objects.filter(email="other@example.org").exists()
    assert visitor.get("/o/alpha/").status_code == 200  # signed in
    # Single use: the link is dead now, for everyone.
    again = Client().get(path)
    assert (
        again.status_code == 404 and "Diese Einladung ist ungültig" in again.content.decode()
    )  # German default


@pytest.mark.django_db(transaction=True)
def test_an_existing_user_joins_when_signed_in_as_the_invited_address(
    alice: User, charlie: User, client_for: Any
) -> None:
    path = _invite(client_for(alice), email="Charlie@Example.org")
    assert "Anmelden" in Client().get(path).content.decode()  # an anonymous visitor reads German
    client = client_for(charlie)
    assert "Join the organization" in client.get(path).content.decode()
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=charlie, organization__slug="alpha").role == Role.MEMBER


@pytest.mark.django_db(transaction=True)
def test_someone_signed_in_as_another_address_is_told_and_cannot_accept(
    alice: User, bob: User, client_for: Any
) -> None:
    path = _invite(client_for(alice), email="newbie@example.org")
    client = client_for(bob)
    page = client.get(path).content.decode()
    assert "You are signed in as bob@example.org" in page
    client.post(path, {"full_name": "x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert Invitation.objects.get().accepted_at is None
    assert not User.objects.filter(email="newbie@example.org").exists()


def _without_csrf(content: bytes) -> bytes:
    # The CSRF token differs per response; everything else must be identical.
    # (in the htmx header and in the language switcher's form field).
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'"X-CSRFToken": "[^"]*"', b"", content)


def _token_for(alice: User, org_a: Organization, **changes: Any) -> str:
    invitation, token = services.invitation_create(
        actor=Membership.objects.get(user=alice, organization=org_a),
        email="late@example.org",
        role=Role.MEMBER,
    )
    Invitation.objects.filter(pk=invitation.pk).update(**changes)
    return token


@pytest.mark.parametrize(
    "changes",
    [
        {"expires_at": timezone.now() - timedelta(seconds=1)},
        {"accepted_at": timezone.now()},
        {"revoked_at": timezone.now()},
    ],
    ids=["expired", "used", "revoked"],
)
def test_every_invalid_invitation_gets_the_same_404_page(
    alice: User, org_a: Organization, changes: dict[str, Any]
) -> None:
    token = _token_for(alice, org_a, **changes)
    unknown = Client().get("/invitations/" + "A" * 43 + "/")
    response = Client().get(f"/invitations/{token}/")
    assert response.status_code == unknown.status_code == 404
    assert _without_csrf(response.content) == _without_csrf(unknown.content)
    post = Client().post(
        f"/invitations/{token}/",
        {"full_name": "x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert post.status_code == 404
    assert not User.objects.filter(email="late@example.org").exists()


def test_an_invitation_expires_after_seven_days(alice: User, org_a: Organization) -> None:
    token = _token_for(alice, org_a)
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert Client().get(f"/invitations/{token}/").status_code == 404


def test_admins_revoke_pending_invitations(
    alice: User, dave: User, org_a: Organization, client_for: Any
) -> None:
    token = _token_for(alice, org_a)
    invitation = Invitation.objects.get()
    page = client_for(dave).get("/o/alpha/members/").content.decode()
    assert "late@example.org" in page
    response = client_for(dave).post(
        f"/o/alpha/invitations/{invitation.code}/revoke/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'id="invitations"' in response.content.decode()
    assert "late@example.org" not in response.content.decode().split("Pending invitations")[1]
    assert Client().get(f"/invitations/{token}/").status_code == 404


def test_admins_cannot_invite_owners_and_members_cannot_invite(
    bob: User, dave: User, client_for: Any
) -> None:
    response = client_for(dave).post(
        "/o/alpha/invitations/", {"email": "x@example.org", "role": "owner"}
    )
    assert (
        response.status_code == 200
        and 'class="field__errors errorlist" id="id_role_error"' in response.content.decode()
    )
    assert (
        client_for(bob)
        .post("/o/alpha/invitations/", {"email": "x@example.org", "role": "member"})
        .status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused_with_a_field_error(
    alice: User, bob: User, client_for: Any
) -> None:
    response = client_for(alice).post(
        "/o/alpha/invitations/",
        {"email": "BOB@example.org", "role": "member"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_invitation_goes_to_the_org_in_the_url_not_a_posted_one(
    alice: User, org_b: Organization, client_for: Any
) -> None:
    client_for(alice).post(
        "/o/alpha/invitations/",
        {
            "email": "x@example.org",
            "role": "member",
            "organization": org_b.pk,
            "organization_id": org_b.pk,
        },
    )
    assert Invitation.objects.get().organization.slug == "alpha"
