from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

from portal.accounts.models import User
from portal.operations.models import Lane, Operation
from portal.operations.registry import get_kind
from portal.organizations.models import Organization

logger = logging.getLogger(__name__)


def operation_start(
    *,
    organization: Organization,
    kind: str,
    user: User | None = None,
    input: dict[str, Any] | None = None,
    target_type: str = "",
    target_id: str = "",
    lane: str = Lane.INTERACTIVE,
    idempotency_key: str | None = None,
) -> Operation:
    """Record an Operation in the caller's transaction and enqueue it once that commits.

    With an idempotency key (a form's one-time token) a second submission returns the
    first Operation instead of creating another (reliability.md R12).
    """
    get_kind(kind)  # unknown kinds fail here, in the request, not later in a worker
    if idempotency_key:
        existing = Operation.objects.filter(organization=organization, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            operation = Operation.objects.create(
                organization=organization,
                kind=kind,
                created_by=user,
                input=input or {},
                target_type=target_type,
                target_id=target_id,
                lane=lane,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # A concurrent submission with the same key won the race.
        return Operation.objects.get(organization=organization, idempotency_key=idempotency_key)
    transaction.on_commit(lambda: enqueue(operation.pk))
    return operation


def enqueue(operation_id: int, *, countdown: float | None = None) -> bool:
    """Hand an operation to the broker. If the broker is down the row stays pending and the
    sweeper enqueues it later (reliability.md R2): the user's request must not fail for it."""
    from portal.operations.tasks import run_operation

    try:
        run_operation.apply_async((operation_id,), countdown=countdown, retry=False)
    except Exception:
        logger.warning("broker unavailable: operation %s stays pending for the sweeper", operation_id, exc_info=True)
        return False
    return True
