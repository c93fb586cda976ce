"""Operations started from the receivables pages: loading payment states, and dunning runs.

Services only start operations (DESIGN.md §6); the worker side is in handlers.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.operations.models import Lane, Operation
from portal.operations.services import ACTIVE, operation_start
from portal.organizations.models import Organization
from portal.receivables.models import DunningRun

PAYMENTS_FETCH = "receivables.payments_fetch"
DUNNING_CREATE = "receivables.dunning_create"
# Payments are one GET each (2/s): one operation fetches at most this many.
PAYMENTS_PER_OPERATION = 200


def dunning_key(*, invoice_id: str, level: int) -> str:
    """One dunning per invoice and level, whoever clicks and however often (R12)."""
    return f"dunning:{invoice_id}:{level}"


@transaction.atomic
def payments_fetch(
    *,
    organization: Organization,
    voucher_ids: Sequence[str],
    user: User | None = None,
    target: str = "",
) -> Operation | None:
    """GET /v1/payments/{id} (§5.15) for these vouchers into the payments mirror, on the bulk
    lane. Joins a fetch for the same target (a contact, "paid") that is waiting or running."""
    ids = [str(voucher_id) for voucher_id in voucher_ids][:PAYMENTS_PER_OPERATION]
    if not ids:
        return None
    return operation_start(
        organization=organization,
        kind=PAYMENTS_FETCH,
        user=user,
        lane=Lane.BULK,
        target_type="payments",
        target_id=target[:64],
        input={"ids": ids},
        coalesce=ACTIVE,
    )


@transaction.atomic
def dunning_run_start(
    *, organization: Organization, user: User, invoices: Sequence[dict[str, Any]]
) -> tuple[DunningRun, int]:
    """One dunning operation per chosen invoice (`invoices`: the dunning candidates' dicts with
    `lexware_id`, `level`, `dunning_ids` and the dunning's `body`, built from the mirror's
    invoice details; None when the mirror has none and the worker must read the invoice). An invoice already dunned at the next level by an
    earlier operation is skipped: (run, how many were skipped)."""
    run = DunningRun.objects.create(organization=organization, created_by=user)
    created = skipped = 0
    day = timezone.localdate().isoformat()
    for invoice in invoices:
        invoice_id = str(invoice["lexware_id"])
        level = int(invoice["level"]) + 1
        key = dunning_key(invoice_id=invoice_id, level=level)
        operation = operation_start(
            organization=organization,
            kind=DUNNING_CREATE,
            user=user,
            lane=Lane.BULK,
            target_type="invoice",
            target_id=invoice_id,
            input={
                "run": str(run.code),
                "invoice_id": invoice_id,
                "number": str(invoice.get("number") or ""),
                "level": level,
                "voucher_date": day,
                "body": invoice.get("body"),
                # Dunnings the mirror knew when the run started: the reconciler's "before".
                "known_dunnings": [str(i) for i in invoice.get("dunning_ids") or []],
            },
            idempotency_key=key,
        )
        if operation.input.get("run") == str(run.code):
            created += 1
        else:
            skipped += 1
    run.invoice_count = created
    run.save(update_fields=["invoice_count"])
    return run, skipped
