"""Home, organization list/create, dashboard, navigation, demo cast."""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.models import User
from portal.core import crypto
from portal.organizations.demo import DEMO_PASSWORD, create_demo_cast
from portal.organizations.models import LexwareConnection, Membership, Organization, Role
from portal.organizations.navigation import NAVIGATION, NavEntry, navigation_for


def test_home_goes_to_the_last_used_organization(
    alice: User, charlie: User, org_b: Organization, client_for: Any
) -> None:
    Membership.objects.create(user=alice, organization=org_b, role=Role.VIEWER)
    client = client_for(alice)
    assert client.get("/").headers["Location"] == "/organizations/"  # two orgs, none used yet
    client.get("/o/beta/")
    assert client.get("/").headers["Location"] == "/o/beta/"


def test_home_goes_to_the_only_organization_or_the_list(alice: User, client_for: Any) -> None:
    assert client_for(alice).get("/").headers["Location"] == "/o/alpha/"
    loner = User.objects.create_user("loner@example.org", "pw-long-enough-1")
    assert client_for(loner).get("/").headers["Location"] == "/organizations/"
    # A new user's profile says German (issue 9), whatever the browser asks for.
    assert "Eine Organisation anlegen" in client_for(loner).get("/organizations/").content.decode()


def test_the_last_used_organization_is_forgotten_when_membership_ends(
    alice: User, bob: User, client_for: Any
) -> None:
    client = client_for(bob)
    client.get("/o/alpha/")
    Membership.objects.filter(user=bob).delete()
    assert client.get("/").headers["Location"] == "/organizations/"


def test_anyone_signed_in_creates_an_organization_and_owns_it(bob: User, client_for: Any) -> None:
    client = client_for(bob)
    response = client.post(
        "/organizations/new/", {"name": "Neu GmbH", "slug": "Neu-GmbH", "role": "viewer"}
    )
    assert response.status_code == 302 and response["Location"] == "/o/neu-gmbh/"
    assert Membership.objects.get(user=bob, organization__slug="neu-gmbh").role == Role.OWNER


def test_create_with_a_taken_or_bad_slug_shows_field_errors(bob: User, client_for: Any) -> None:
    client = client_for(bob)
    for slug in ("alpha", "a", "-x-", "admin", "über"):
        response = client.post(
            "/organizations/new/", {"name": "X", "slug": slug}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200 and 'id="id_slug_error"' in response.content.decode(), (
            slug
        )
    assert Organization.objects.count() == 1


def test_dashboard_shows_role_and_connection_status(
    alice: User, carol: User, org_a: Organization, client_for: Any
) -> None:
    page = client_for(carol).get("/o/alpha/").content.decode()
    assert "Alpha Werkstatt GmbH" in page and "Not connected" in page
    assert "/o/alpha/connection/" not in page  # viewers cannot manage it
    LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt("secret-key-abcd"),
        key_last_four="abcd",
        key_fingerprint="f" * 16,
        status="ok",
        company_name="Alpha in Lexware",
    )
    page = client_for(alice).get("/o/alpha/").content.decode()
    assert "abcd" in page and "Alpha in Lexware" in page and "/o/alpha/connection/" in page
    assert "secret-key" not in page


def test_navigation_leaves_out_unresolvable_and_too_high_entries(
    carol: User, dave: User, monkeypatch: Any
) -> None:
    extra = [*NAVIGATION, NavEntry("Nowhere", "nowhere:list")]
    monkeypatch.setattr("portal.organizations.navigation.NAVIGATION", extra)
    carol_links = navigation_for(
        membership=carol.memberships.get(), current_path="/o/alpha/members/"
    )
    dave_links = navigation_for(membership=dave.memberships.get(), current_path="/o/alpha/members/")
    assert "Nowhere" not in [str(link.label) for link in dave_links]
    assert "/o/alpha/connection/" not in [link.url for link in carol_links]
    assert "/o/alpha/connection/" in [link.url for link in dave_links]
    assert [link.url for link in carol_links if link.active] == ["/o/alpha/members/"]


def test_the_switcher_lists_only_my_organizations(
    alice: User, charlie: User, client_for: Any
) -> None:
    page = client_for(alice).get("/o/alpha/").content.decode()
    assert "Alpha Werkstatt GmbH" in page and "Beta Handel KG" not in page


def test_demo_cast_is_idempotent(db: None) -> None:
    first = create_demo_cast()
    second = create_demo_cast()
    assert first["alice"] == second["alice"]
    assert User.objects.count() == 5 and Organization.objects.count() == 2
    alice = User.objects.get(email="alice@demo.local")
    assert alice.check_password(DEMO_PASSWORD)
    assert Membership.objects.get(user=alice).organization.slug == "demo"
    assert (
        Membership.objects.get(user__email="charlie@demo.local").organization.name
        == "Andere Firma AG"
    )
    assert User.objects.get(email="operator@demo.local").is_staff


@pytest.mark.parametrize(
    "name", ["Müller\u200b GmbH", "\u202eHbmG rellüM", "Bau\u2066 AG\u2069", "Zero\ufeffWidth KG"]
)
def test_organization_names_refuse_invisible_format_characters(
    alice: User, client_for: Any, name: str
) -> None:
    """Names that read other than they are (bidi overrides, zero-width characters; issue 16 item 7)."""
    response = client_for(alice).post("/organizations/new/", {"name": name, "slug": "unsichtbar"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Organization.objects.filter(slug="unsichtbar").exists()
