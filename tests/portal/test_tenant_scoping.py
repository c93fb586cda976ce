"""Tenant scoping as a checked property (reliability.md T2): every query an organization page
makes on a table that belongs to organizations names the organization. A view or selector
that forgets `organization=` fails here, whatever the data.

Equivalent to tenant-scoped managers, without changing how models are queried: for each
organization route of the permission inventory, the SQL of a GET (page and htmx partial) by
a user allowed to see it is captured and read."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.organizations.models import Organization
from tests.portal.permission_inventory import INVENTORY, USER_WITH_ROLE, MatrixContext
from tests.portal.test_permission_matrix import _names, _url


def _tenant_tables() -> dict[str, str]:
    """Table → its organization column, for every model with a foreign key to Organization."""
    tables = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Organization:
                tables[model._meta.db_table] = field.column
    return tables


TENANT_TABLES = _tenant_tables()
FROM_TABLE = re.compile(r'\bFROM\s+"?(\w+)"?', re.IGNORECASE)


def _unscoped(sql: str, organization_id: int, user_id: int) -> str | None:
    """The tenant table a SELECT reads without naming this organization, if any. A query for
    the signed-in user's own memberships (the organization switcher) names the user instead."""
    match = FROM_TABLE.search(sql)
    if (
        not match
        or match.group(1) not in TENANT_TABLES
        or not sql.lstrip().upper().startswith("SELECT")
    ):
        return None
    table = match.group(1)
    where = sql.split(" WHERE ", 1)[-1] if " WHERE " in sql else ""
    # A subquery's table is aliased (U0, U1, …): `U0."organization_id" = 5` names it too.
    table_name = re.escape(f'"{table}"')
    column = rf"(?:{table_name}|U\d+)\." + re.escape(f'"{TENANT_TABLES[table]}"')
    if re.search(rf"{column} = {organization_id}\b", where) or re.search(
        rf"{column} IN \(([^)]*\b)?{organization_id}\b", where
    ):
        return None
    if table == "organizations_membership" and re.search(
        rf'"organizations_membership"."user_id" = {user_id}\b', where
    ):
        return None
    return table


def test_every_model_that_belongs_to_an_organization_is_checked() -> None:
    assert {
        "contacts_contact",
        "documents_document",
        "operations_operation",
        "sync_syncpart",
    } <= set(TENANT_TABLES)


@pytest.mark.parametrize("name", [n for n in _names("org") if "GET" in INVENTORY[n].methods])
def test_organization_pages_query_only_their_organization(
    name: str,
    org_a: Organization,
    alice: User,
    bob: User,
    carol: User,
    dave: User,
    client_for: Any,
    request: pytest.FixtureRequest,
) -> None:
    route = INVENTORY[name]
    everyone = {"alice": alice, "bob": bob, "carol": carol, "dave": dave}
    client_user = everyone[USER_WITH_ROLE[route.role]]
    client = client_for(client_user)
    url = _url(name, route, MatrixContext(organization=org_a, owner=alice, request=request))
    for headers in ({}, {"HX-Request": "true"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
        assert response.status_code < 500
        unscoped = [
            (table, q["sql"][:300])
            for q in queries.captured_queries
            if (table := _unscoped(q["sql"], org_a.pk, client_user.pk))
        ]
        assert not unscoped, (name, unscoped)
