"""Starting file fetches: after a document changed (bulk lane) or when a person asks (interactive)."""

from __future__ import annotations

from django.db import transaction

from portal.accounts.models import User
from portal.documents.models import Document
from portal.operations.models import Lane, Operation, OperationState
from portal.operations.services import ACTIVE, WAITING, operation_start
from portal.organizations.models import Organization

FILES_FETCH = "document.files_fetch"


@transaction.atomic
def document_files_fetch(
    *,
    organization: Organization,
    document: Document,
    user: User | None = None,
    lane: str = Lane.INTERACTIVE,
) -> Operation:
    """Fetch the document's PDF (and XRechnung XML) into storage.

    A person waiting joins a fetch already queued or running and moves a queued bulk fetch
    ahead (interactive lane); a change in the background joins one still queued only, since a
    running fetch may be working on the previous version."""
    operation = operation_start(
        organization=organization,
        kind=FILES_FETCH,
        user=user,
        lane=lane,
        target_type=document.voucher_type,
        target_id=str(document.lexware_id),
        input={"id": str(document.lexware_id), "voucher_type": document.voucher_type},
        coalesce=ACTIVE if lane == Lane.INTERACTIVE else WAITING,
    )
    if (
        lane == Lane.INTERACTIVE
        and operation.lane != lane
        and operation.state == OperationState.PENDING
    ):
        Operation.objects.filter(pk=operation.pk, state=OperationState.PENDING).update(lane=lane)
        operation.lane = lane
    return operation
