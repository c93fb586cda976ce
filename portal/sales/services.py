"""Writes of the editor: each starts one Operation; the worker side is in handlers.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction

from portal.accounts.models import User
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start, withdraw_replaced
from portal.organizations.models import Organization
from portal.sales.drafts import draft_replacement_record
from portal.sales.types import SalesType

# Where the operation's input keeps the body sent (reopen_form's input_key).
INPUT_KEY = "document"


@transaction.atomic
def document_create(
    *,
    organization: Organization,
    user: User | None,
    sales_type: SalesType,
    data: dict[str, Any],
    finalize: bool = False,
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
    preceding: UUID | str | None = None,
    replaces_draft: UUID | str | None = None,
) -> Operation:
    """`data` is a sales document in Lexware's shape (§5.1), validated by the editor's form.

    Created as a draft unless `finalize` (§5.1 `?finalize=true`; Lexware cannot finalize a draft
    later, §6.3). `replaces` is a waiting create of the same type whose input the user
    corrected: withdrawn in the same transaction, so one document is made. `preceding` is
    the document pursued (§5.2, `precedingSalesVoucherId`); `replaces_draft` a portal draft
    this finalized copy replaces (drafts.py links them and writes the audit trail).
    """
    withdraw_replaced(organization=organization, kind=sales_type.kind, replaces=replaces)
    extra = {"preceding": str(preceding)} if preceding else {}
    if replaces_draft and finalize:
        extra["replaces_draft"] = str(replaces_draft)
    operation = operation_start(
        organization=organization,
        kind=sales_type.kind,
        user=user,
        input={INPUT_KEY: data, "finalize": finalize, **extra},
        target_type=sales_type.voucher_type,
        lane=Lane.INTERACTIVE,
        idempotency_key=idempotency_key,
    )
    if "replaces_draft" in extra:
        draft_replacement_record(operation=operation, user=user)
    return operation
