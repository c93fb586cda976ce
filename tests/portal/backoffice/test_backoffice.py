"""Backoffice and Django admin for operators (issue 2 item 7, reliability.md T7)."""

from __future__ import annotations

from typing import Any

from portal.accounts.models import User
from portal.core import crypto
from portal.organizations.models import Invitation, LexwareConnection, Organization
from portal.organizations.services import invitation_create

SECRET = "lx-secret-canary-Q9w8e7r6"


def _connect(org: Organization) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org,
        encrypted_api_key=crypto.encrypt(SECRET),
        key_last_four=SECRET[-4:],
        key_fingerprint="0" * 16,
        status="ok",
        company_name="Alpha GmbH (Lexware)",
    )


def test_it_lists_every_organization_with_members_and_connection(
    operator: User, alice: User, bob: User, charlie: User, org_a: Organization, client_for: Any
) -> None:
    connection = _connect(org_a)
    page = client_for(operator).get("/backoffice/organizations/").content.decode()
    assert "Alpha Werkstatt GmbH" in page and "Beta Handel KG" in page
    assert '<td class="num">2</td>' in page and '<td class="num">1</td>' in page
    assert f"…{SECRET[-4:]}" in page and "not connected" in page
    assert SECRET not in page and connection.encrypted_api_key not in page


def test_the_admin_never_shows_the_encrypted_key_or_token_hash(
    operator: User, alice: User, org_a: Organization, client_for: Any
) -> None:
    operator.is_superuser = True
    operator.save()
    connection = _connect(org_a)
    invitation, token = invitation_create(
        actor=alice.memberships.get(), email="n@example.org", role="member"
    )
    client = client_for(operator)
    pages = [
        "/backoffice/admin/organizations/lexwareconnection/",
        f"/backoffice/admin/organizations/lexwareconnection/{connection.pk}/change/",
        "/backoffice/admin/organizations/invitation/",
        f"/backoffice/admin/organizations/invitation/{invitation.pk}/change/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert connection.encrypted_api_key not in html and SECRET not in html
        assert "encrypted_api_key" not in html
        assert invitation.token_hash not in html and token not in html


def test_the_connection_admin_changes_only_the_status(
    operator: User, org_a: Organization, client_for: Any
) -> None:
    operator.is_superuser = True
    operator.save()
    connection = _connect(org_a)
    before = connection.encrypted_api_key
    client_for(operator).post(
        f"/backoffice/admin/organizations/lexwareconnection/{connection.pk}/change/",
        {
            "status": "revoked",
            "encrypted_api_key": "attacker",
            "key_last_four": "XXXX",
            "company_name": "Evil",
        },
    )
    connection.refresh_from_db()
    assert connection.status == "revoked"
    assert (connection.encrypted_api_key, connection.key_last_four, connection.company_name) == (
        before,
        SECRET[-4:],
        "Alpha GmbH (Lexware)",
    )
    assert Invitation.objects.count() == 0
