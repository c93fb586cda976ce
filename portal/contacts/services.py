"""Writes for contacts: each starts an Operation; the worker side is in handlers.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext

from portal.accounts.models import User
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start, operation_withdraw
from portal.organizations.models import Organization

CREATE = "contact.create"


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
    if replaces:
        operation_withdraw(
            organization=organization,
            kind=CREATE,
            code=replaces,
            reason=gettext("Replaced by a corrected submission."),
        )
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
