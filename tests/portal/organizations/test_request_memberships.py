"""The middleware's membership read (portal/organizations/request_memberships.py) written out as
one statement: the same memberships, organizations and connections as the ORM's
user_organizations, linked as select_related links them, the API key left out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model

from portal.accounts.models import User
from portal.organizations.models import LexwareConnection, Membership, Organization, Role
from portal.organizations.request_memberships import user_memberships
from portal.organizations.selectors import user_organizations


def _values(instance: Model) -> dict[str, Any]:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.attname not in instance.get_deferred_fields()
    }


@pytest.mark.postgres
def test_the_statement_answers_as_the_orm_does(
    alice: User, org_a: Organization, org_b: Organization, django_assert_num_queries: Any
) -> None:
    assert connection.vendor == "postgresql"
    Membership.objects.create(user=alice, organization=org_b, role=Role.VIEWER)
    third = Organization.objects.create(name="Aachen Bau GmbH", slug="aachen", iban="DE02")
    Membership.objects.create(user=alice, organization=third, role=Role.ADMIN)
    LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key="gAAAA-secret",
        key_last_four="abcd",
        key_fingerprint="f" * 16,
        status="ok",
        company_name="Alpha Werkstatt GmbH",
        lexware_organization_id="5b9b9a0c-6a5e-4d6b-8f7e-0c3c0d5f0a11",
        profile={"companyName": "Alpha", "taxType": "net", "smallBusiness": False},
        verified_at=datetime(2026, 11, 27, 8, 30, tzinfo=UTC),
    )
    Organization.objects.filter(pk=org_b.pk).update(require_mfa_for_admins=True)

    expected = list(user_organizations(user=alice))
    with django_assert_num_queries(1):
        memberships = user_memberships(user=alice)
        # Everything the pages read from them is loaded: no query beyond the one.
        linked = [
            (m.organization.slug, getattr(m.organization, "lexware_connection", None))
            for m in memberships
        ]

    assert [m.organization.name for m in memberships] == [
        "Aachen Bau GmbH",
        "Alpha Werkstatt GmbH",
        "Beta Handel KG",
    ]
    assert [_values(m) for m in memberships] == [_values(m) for m in expected]
    assert [_values(m.organization) for m in memberships] == [
        _values(m.organization) for m in expected
    ]
    ours, theirs = linked[1][1], expected[1].organization.lexware_connection
    assert ours is not None and _values(ours) == _values(theirs)
    assert ours.profile == {"companyName": "Alpha", "taxType": "net", "smallBusiness": False}
    assert ours.organization is memberships[1].organization
    # The key stays out of it, as in the ORM's read; asked for, it is loaded on its own.
    assert ours.get_deferred_fields() == {"encrypted_api_key"}
    assert ours.encrypted_api_key == "gAAAA-secret"
    # No connection: the attribute raises as after select_related.
    assert linked[0][1] is None and linked[2][1] is None
    with pytest.raises(LexwareConnection.DoesNotExist):
        memberships[0].organization.lexware_connection  # noqa: B018
    assert memberships[2].organization.require_mfa_for_admins is True
    assert [m.role for m in memberships] == [Role.ADMIN, Role.OWNER, Role.VIEWER]


@pytest.mark.postgres
def test_only_the_users_own_memberships(alice: User, charlie: User, bob: User) -> None:
    assert [m.organization.slug for m in user_memberships(user=charlie)] == ["beta"]
    assert [m.user_id for m in user_memberships(user=bob)] == [bob.pk]
    loner = User.objects.create_user("loner@example.org", "a-long-password-1", full_name="L")
    assert user_memberships(user=loner) == []
