"""Writes for contacts: each starts an Operation; the worker side is in handlers.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction

from portal.accounts.models import User
from portal.contacts.mirror import upsert_contact
from portal.contacts.models import Contact
from portal.operations.edits import EditSpec, edit_start
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start, withdraw_replaced
from portal.organizations.models import Organization

CREATE = "contact.create"
UPDATE = "contact.update"

# Read-merge-put of a contact (portal/operations/edits.py). `roles` is one value: a role the
# form leaves out is removed, the numbers inside are Lexware's and kept by it (§5.5).
EDIT = EditSpec(
    resource="contacts",
    input_key="contact",
    upsert=lambda organization, data: upsert_contact(organization=organization, data=data),
    atomic=("roles",),
)


@transaction.atomic
def contact_create(
    *,
    organization: Organization,
    user: User | None,
    data: dict[str, Any],
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
    lane: str = Lane.INTERACTIVE,
) -> Operation:
    """`data` is a contact in Lexware's shape (§5.5), already validated by the form.

    `replaces` is the code of a waiting create whose input the user corrected: it is withdrawn
    in the same transaction (ValidationError if it is already being sent), so one contact is made.
    `lane` is the bulk lane for imports, where nobody waits on the page.
    """
    withdraw_replaced(organization=organization, kind=CREATE, replaces=replaces)
    body = {**data, "version": 0}
    return operation_start(
        organization=organization,
        kind=CREATE,
        user=user,
        input={"contact": body},
        target_type="contact",
        lane=lane,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def contact_update(
    *,
    organization: Organization,
    user: User | None,
    lexware_id: UUID | str,
    data: dict[str, Any],
    base_version: int,
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
    lane: str = Lane.INTERACTIVE,
) -> Operation:
    """Change a contact: `data` holds only the fields the form sets, in Lexware's shape (§5.5);
    `base_version` is the version the form was rendered from. Everything else of the contact
    is kept; a change made in Lexware meanwhile to a field the user changed ends in a conflict
    (portal/operations/edits.py)."""
    mirrored = Contact.objects.filter(organization=organization, lexware_id=lexware_id).first()
    return edit_start(
        spec=EDIT,
        kind=UPDATE,
        organization=organization,
        user=user,
        lexware_id=lexware_id,
        data={key: value for key, value in data.items() if key != "version"},
        base_version=base_version,
        base_record=mirrored.raw if mirrored is not None else None,
        target_type="contact",
        idempotency_key=idempotency_key,
        replaces=replaces,
        lane=lane,
    )
