"""Worker side of contact writes (DESIGN.md §7).

`contact.create` sends one POST; `contact.update` one PUT after a GET (read-merge-put with the
version, portal/operations/edits.py). What it returns (the new id) is recorded by the runner at
once; reading the contact back into the mirror is a separate phase that may be retried alone.
A POST whose outcome is unknown is never sent again: the reconciler searches Lexware's
contacts for the one we sent (same name and e-mail, not known before) and adopts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexware.encoding import escape_wildcards
from portal.contacts.mirror import contact_display_name, upsert_contact
from portal.contacts.models import Contact
from portal.contacts.services import CREATE, EDIT, UPDATE
from portal.core.mirror import api_dict
from portal.operations.models import Operation
from portal.operations.registry import write_kind

if TYPE_CHECKING:
    from lexware import LexwareClient


def contact_page(operation: Operation) -> str | None:
    if not operation.target_id:
        return None
    return reverse(
        "contacts:detail",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )


def contact_form(operation: Operation) -> str:
    """The new-contact form reopened with this operation's input."""
    url = reverse("contacts:create", kwargs={"org_slug": operation.organization.slug})
    return f"{url}?{urlencode({'from': operation.code})}"


def contact_edit_form(operation: Operation) -> str:
    """The edit form reopened with this operation's input (after a conflict: "keep mine")."""
    url = reverse(
        "contacts:edit",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )
    return f"{url}?{urlencode({'from': operation.code})}"


def contact_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    data = api_dict(client.contacts.get(operation.target_id))
    upsert_contact(organization=operation.organization, data=data)
    return {"id": operation.target_id, "name": contact_display_name(data)}


def _emails(contact: dict[str, Any]) -> set[str]:
    return {e.lower() for values in (contact.get("emailAddresses") or {}).values() for e in values}


def contact_reconcile(operation: Operation, client: LexwareClient) -> str | None:
    sent = operation.input["contact"]
    name = contact_display_name(sent)
    emails = _emails(sent)
    if len(name) < 3:
        return None  # Lexware's name filter needs three characters (§5.5)
    page = client.contacts.list(name=escape_wildcards(name), size=250)
    for candidate in page.content:
        data = api_dict(candidate)
        if contact_display_name(data) != name:
            continue
        if emails and not emails & _emails(data):
            continue
        # A contact the mirror already knew before this create began is not the one it made.
        known_before = Contact.objects.filter(
            organization=operation.organization,
            lexware_id=data["id"],
            synced_at__lt=operation.created_at,
        ).exists()
        if known_before:
            continue
        return str(data["id"])
    return None


@write_kind(
    CREATE,
    label=_("Create contact"),
    read_back=contact_read_back,
    reconcile=contact_reconcile,
    result_url=contact_page,
    edit_url=contact_form,
)
def contact_create_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    result = client.contacts.create(operation.input["contact"])
    return {"id": str(result.id)}


@write_kind(
    UPDATE,
    label=_("Change contact"),
    read_back=EDIT.read_back,
    reconcile=EDIT.reconcile,
    result_url=contact_page,
    edit_url=contact_edit_form,
)
def contact_update_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """At most one PUT, after a GET: read-merge-put with the version (EditSpec.write)."""
    return EDIT.write(operation, client)
