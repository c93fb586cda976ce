"""Operations started from the document pages."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from portal.documents.models import Document
from portal.operations.models import Lane, Operation
from portal.operations.services import ACTIVE, operation_start
from portal.organizations.models import Organization

FETCH = "document.fetch"


@transaction.atomic
def document_fetch(
    *, organization: Organization, document: Document, user: User | None = None
) -> Operation:
    """On demand, interactive lane: a user is looking at the document now. Joins a fetch of the
    same document that is already waiting or running."""
    return operation_start(
        organization=organization,
        kind=FETCH,
        user=user,
        lane=Lane.INTERACTIVE,
        target_type=document.voucher_type,
        target_id=str(document.lexware_id),
        input={"voucher_type": document.voucher_type, "id": str(document.lexware_id)},
        coalesce=ACTIVE,
    )
