"""Role rules (issue 2 item 5): last owner, owner-only owner changes, admins manage the rest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from portal.accounts.models import User
from portal.core.errors import ApplicationError
from portal.organizations import services
from portal.organizations.models import Membership, Organization, Role


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages are read in English here (the default language is German)."""
    with translation.override("en"):
        yield


def _m(user: User, org: Organization) -> Membership:
    return Membership.objects.get(user=user, organization=org)


def test_the_last_owner_cannot_be_demoted(alice: User, org_a: Organization) -> None:
    with pytest.raises(ApplicationError, match="last owner"):
        services.membership_role_change(
            actor=_m(alice, org_a), membership=_m(alice, org_a), role=Role.ADMIN
        )
    assert _m(alice, org_a).role == Role.OWNER


def test_the_last_owner_cannot_leave(alice: User, org_a: Organization) -> None:
    with pytest.raises(ApplicationError, match="last owner"):
        services.membership_remove(actor=_m(alice, org_a), membership=_m(alice, org_a))
    assert Membership.objects.filter(user=alice, organization=org_a).exists()


def test_an_owner_can_hand_over_ownership_and_then_step_down(
    alice: User, dave: User, org_a: Organization
) -> None:
    services.membership_role_change(
        actor=_m(alice, org_a), membership=_m(dave, org_a), role=Role.OWNER
    )
    services.membership_role_change(
        actor=_m(alice, org_a), membership=_m(alice, org_a), role=Role.MEMBER
    )
    assert (_m(alice, org_a).role, _m(dave, org_a).role) == (Role.MEMBER, Role.OWNER)


def test_admins_cannot_grant_or_revoke_owner(
    alice: User, bob: User, dave: User, org_a: Organization
) -> None:
    with pytest.raises(ApplicationError, match="Only owners"):
        services.membership_role_change(
            actor=_m(dave, org_a), membership=_m(bob, org_a), role=Role.OWNER
        )
    with pytest.raises(ApplicationError, match="Only owners"):
        services.membership_role_change(
            actor=_m(dave, org_a), membership=_m(alice, org_a), role=Role.MEMBER
        )
    with pytest.raises(ApplicationError, match="Only owners"):
        services.membership_remove(actor=_m(dave, org_a), membership=_m(alice, org_a))
    assert _m(bob, org_a).role == Role.MEMBER and _m(alice, org_a).role == Role.OWNER


def test_admins_manage_everyone_else(
    alice: User, bob: User, carol: User, dave: User, org_a: Organization
) -> None:
    services.membership_role_change(
        actor=_m(dave, org_a), membership=_m(bob, org_a), role=Role.ADMIN
    )
    assert _m(bob, org_a).role == Role.ADMIN
    services.membership_remove(actor=_m(dave, org_a), membership=_m(carol, org_a))
    assert not Membership.objects.filter(user=carol, organization=org_a).exists()


def test_members_cannot_manage_others_but_may_leave(
    alice: User, bob: User, carol: User, org_a: Organization
) -> None:
    with pytest.raises(ApplicationError):
        services.membership_role_change(
            actor=_m(bob, org_a), membership=_m(carol, org_a), role=Role.MEMBER
        )
    with pytest.raises(ApplicationError):
        services.membership_remove(actor=_m(bob, org_a), membership=_m(carol, org_a))
    services.membership_remove(actor=_m(bob, org_a), membership=_m(bob, org_a))
    assert not Membership.objects.filter(user=bob, organization=org_a).exists()


def test_nobody_manages_another_organizations_members(
    alice: User, charlie: User, org_a: Organization, org_b: Organization
) -> None:
    with pytest.raises(ApplicationError):
        services.membership_remove(actor=_m(alice, org_a), membership=_m(charlie, org_b))
    assert Membership.objects.filter(user=charlie, organization=org_b).exists()


def test_organization_create_makes_the_creator_owner(bob: User) -> None:
    org = services.organization_create(user=bob, name="Neu GmbH", slug="neu")
    assert _m(bob, org).role == Role.OWNER
    with pytest.raises(ApplicationError, match="taken"):
        services.organization_create(user=bob, name="Noch eine", slug="neu")


# ---------------------------------------------------------------- through the pages


def test_members_page_shows_controls_by_role(
    alice: User, bob: User, carol: User, dave: User, client_for: Any
) -> None:
    url = "/o/alpha/members/"
    as_alice = client_for(alice).get(url).content.decode()
    as_dave = client_for(dave).get(url).content.decode()
    as_carol = client_for(carol).get(url).content.decode()
    alice_code = str(_m(alice, alice.memberships.first().organization).code)
    assert (
        "Send invitation" in as_alice and f"/members/{alice_code}/role/" not in as_alice
    )  # not herself
    assert f"/members/{alice_code}/role/" not in as_dave  # an admin cannot touch the owner
    assert "Send invitation" not in as_carol and "/role/" not in as_carol
    assert "bob@example.org" in as_carol


def test_role_change_by_htmx_swaps_the_row(
    alice: User, bob: User, org_a: Organization, client_for: Any
) -> None:
    code = _m(bob, org_a).code
    response = client_for(alice).post(
        f"/o/alpha/members/{code}/role/", {"role": "admin"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<tr id="member-{code}"') and "<html" not in html
    assert _m(bob, org_a).role == Role.ADMIN


def test_a_refused_role_change_shows_why_in_the_row(
    alice: User, bob: User, dave: User, org_a: Organization, client_for: Any
) -> None:
    code = _m(bob, org_a).code
    response = client_for(dave).post(
        f"/o/alpha/members/{code}/role/", {"role": "owner"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert (
        'class="field__errors"' in response.content.decode()
    )  # Django's "valid choice" message, translated
    assert _m(bob, org_a).role == Role.MEMBER


def test_demoting_the_last_owner_on_the_page_gives_a_message(
    alice: User, dave: User, org_a: Organization, client_for: Any
) -> None:
    # dave cannot see alice's controls; alice demotes herself through a crafted request.
    code = _m(alice, org_a).code
    response = client_for(alice).post(
        f"/o/alpha/members/{code}/role/", {"role": "admin"}, follow=True
    )
    assert response.status_code == 200
    assert "The last owner cannot be demoted" in response.content.decode()
    assert _m(alice, org_a).role == Role.OWNER


def test_remove_by_htmx_returns_an_empty_row(
    alice: User, bob: User, org_a: Organization, client_for: Any
) -> None:
    code = _m(bob, org_a).code
    response = client_for(alice).post(
        f"/o/alpha/members/{code}/remove/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.content == b""
    assert not Membership.objects.filter(user=bob, organization=org_a).exists()


def test_a_member_leaves_through_the_page(
    alice: User, bob: User, org_a: Organization, client_for: Any
) -> None:
    client = client_for(bob)
    response = client.post("/o/alpha/members/leave/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=bob, organization=org_a).exists()
    assert client.get("/o/alpha/").status_code == 404
