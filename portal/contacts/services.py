"""Writes for contacts: each becomes an Operation; the worker sends it to Lexware.

A create that may have reached Lexware without an answer is never sent again: its
reconciler searches Lexware's contacts for the one we sent (same name and e-mail, created
after we sent it) and adopts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from portal.accounts.models import User
from portal.contacts.models import Contact
from portal.operations.models import Lane, Operation
from portal.operations.registry import operation_kind
from portal.operations.services import operation_start
from portal.organizations.models import Organization
from portal.sync import mirror_write

if TYPE_CHECKING:
    from lexware import LexwareClient

CREATE = "contact.create"


@transaction.atomic
def contact_create_request(
    *, organization: Organization, user: User | None, data: dict[str, Any], idempotency_key: str | None = None
) -> Operation:
    """`data` is a contact in Lexware's shape (§5.5), already validated by the form."""
    body = {**data, "version": 0}
    return operation_start(
        organization=organization, kind=CREATE, user=user, input={"contact": body},
        target_type="contact", lane=Lane.INTERACTIVE, idempotency_key=idempotency_key,
    )


def _fetch_into_mirror(operation: Operation, client: LexwareClient, contact_id: str) -> dict[str, Any]:
    data = mirror_write.api_dict(client.contacts.get(contact_id))
    mirror_write.upsert_contact(organization=operation.organization, data=data)
    return {"id": contact_id, "name": mirror_write.contact_display_name(data)}


def _find_created_contact(operation: Operation, client: LexwareClient) -> str | None:
    sent = operation.input["contact"]
    name = mirror_write.contact_display_name(sent)
    emails = {e.lower() for values in (sent.get("emailAddresses") or {}).values() for e in values}
    if len(name) < 3:
        return None
    from lexware.encoding import escape_wildcards

    page = client.contacts.list(name=escape_wildcards(name), size=250)
    for candidate in page.content:
        data = mirror_write.api_dict(candidate)
        if mirror_write.contact_display_name(data) != name:
            continue
        found_emails = {e.lower() for values in (data.get("emailAddresses") or {}).values() for e in values}
        if emails and not emails & found_emails:
            continue
        # A contact the mirror already knew before this create began is not the one it made.
        known_before = Contact.objects.filter(
            organization=operation.organization, lexware_id=data["id"], synced_at__lt=operation.created_at
        ).exists()
        if known_before:
            continue
        return str(data["id"])
    return None


def _reconcile_contact(operation: Operation, client: LexwareClient) -> str | None:
    found = _find_created_contact(operation, client)
    if found:
        _fetch_into_mirror(operation, client, found)
    return found


@operation_kind(CREATE, repeatable=False, reconcile=_reconcile_contact)
def contact_create(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    result = client.contacts.create(operation.input["contact"])
    contact_id = str(result.id)
    operation.target_id = contact_id
    operation.save(update_fields=["target_id"])
    return _fetch_into_mirror(operation, client, contact_id)
