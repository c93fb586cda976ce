"""The memberships OrganizationMiddleware reads on every request under `/o/<slug>/`, with their
organizations and Lexware connections: `selectors.user_organizations` written out as one
statement on PostgreSQL.

Building the ORM query (three models joined, forty columns) cost twice running it: 1.25 ms for
the read, of which the statement took 0.32 ms (benchmarks.profile_pages, issue 18). The
statement and the columns are built once per process from the models' own fields, so a new
field is read without a change here; the values pass through each field's database
converters, and the three objects are linked as select_related links them.
tests/portal/organizations/test_request_memberships.py holds the answer equal to the ORM's.
Other databases (the demo's SQLite) read through the ORM.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.fields.mixins import FieldCacheMixin

from portal.accounts.models import User
from portal.organizations.models import LexwareConnection, Membership, Organization
from portal.organizations.selectors import user_organizations

# (model, fields left out): the key stays out, as in user_organizations.
_PARTS: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (Membership, ()),
    (Organization, ()),
    (LexwareConnection, ("encrypted_api_key",)),
)


def user_memberships(*, user: User) -> list[Membership]:
    """The user's memberships by organization name, each with `organization` and its
    `lexware_connection` (or none) loaded: what `list(user_organizations(user=user))` gives."""
    connection = connections[router.db_for_read(Membership)]
    if connection.vendor != "postgresql":
        return list(user_organizations(user=user))
    statement, parts = _statement(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(statement, [user.pk])
        rows = cursor.fetchall()
    to_organization, to_connection, connection_to_organization = _links()
    memberships = []
    for row in rows:
        membership, organization, lexware_connection = (
            _instance(model, fields, converters, pk_index, row[start:end], connection)
            for model, fields, converters, pk_index, start, end in parts
        )
        to_organization.set_cached_value(membership, organization)
        # None too, as select_related leaves it: then the attribute raises DoesNotExist.
        to_connection.set_cached_value(organization, lexware_connection)
        if lexware_connection is not None:
            connection_to_organization.set_cached_value(lexware_connection, organization)
        memberships.append(membership)
    return memberships


@cache
def _links() -> tuple[FieldCacheMixin, FieldCacheMixin, FieldCacheMixin]:
    """Membership → organization, organization → its connection (the reverse one-to-one) and
    back: where Django caches a loaded related object."""
    return (
        cast(FieldCacheMixin, Membership._meta.get_field("organization")),
        cast(FieldCacheMixin, Organization._meta.get_field("lexware_connection")),
        cast(FieldCacheMixin, LexwareConnection._meta.get_field("organization")),
    )


@cache
def _statement(alias: str) -> tuple[str, list[tuple[Any, ...]]]:
    """The statement, written as the ORM writes it (table-qualified names, so that the tenant
    scoping test reads the user's condition), and where each model's columns sit in a row."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    columns, parts, start = [], [], 0
    for model, left_out in _PARTS:
        table = model._meta.db_table
        fields = [field for field in model._meta.concrete_fields if field.name not in left_out]
        columns += [f"{quote(table)}.{quote(field.column)}" for field in fields]
        converters = [_converters(field, table, connection) for field in fields]
        pk_index = fields.index(model._meta.pk)
        parts.append((model, fields, converters, pk_index, start, start + len(fields)))
        start += len(fields)
    membership, organization, lexware_connection = (
        quote(model._meta.db_table) for model, _ in _PARTS
    )
    statement = (
        f"SELECT {', '.join(columns)} FROM {membership} "  # noqa: S608 - names from the models
        f'INNER JOIN {organization} ON ({membership}."organization_id" = {organization}."id") '
        f"LEFT OUTER JOIN {lexware_connection} "
        f'ON ({organization}."id" = {lexware_connection}."organization_id") '
        f'WHERE {membership}."user_id" = %s ORDER BY {organization}."name" ASC'
    )
    return statement, parts


def _converters(field: Field[Any, Any], table: str, connection: Any) -> list[Any]:
    # What the ORM's compiler applies to a column: the backend's converters, then the field's.
    column = field.get_col(table)
    return [
        (converter, column)
        for converter in connection.ops.get_db_converters(column)
        + column.get_db_converters(connection)
    ]


def _instance(
    model: type[Model],
    fields: list[Field[Any, Any]],
    converters: list[list[Any]],
    pk_index: int,
    values: tuple[Any, ...],
    connection: Any,
) -> Any:
    if values[pk_index] is None:  # the LEFT JOIN found no connection
        return None
    converted = []
    for value, field_converters in zip(values, converters, strict=True):
        for converter, column in field_converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)
