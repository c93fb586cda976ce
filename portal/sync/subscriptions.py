"""Lexware event subscriptions (§5.11): created for every event type when a connection is
verified, checked periodically and re-created when missing."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from lexware import errors as lx
from lexware.models import EVENT_TYPES
from portal.core.mirror import api_dict
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start
from portal.sync.engine import StepClock
from portal.sync.models import Subscription

if TYPE_CHECKING:
    from lexware import LexwareClient

ENSURE = "subscriptions.ensure"
DELETE_ALL = "subscriptions.delete"


def callback_url() -> str:
    return settings.LEXWARE_WEBHOOK_URL or f"{settings.SITE_URL}/hooks/lexware/"


def event_types() -> tuple[str, ...]:
    return tuple(EVENT_TYPES)


def _listed(client: LexwareClient) -> list[dict[str, Any]]:
    listing = client.event_subscriptions.list()
    items = listing.content if hasattr(listing, "content") else listing
    return [api_dict(item) for item in items]


def subscriptions_ensure_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """Make Lexware's list match what we want: one subscription per event type to our URL."""
    org = operation.organization
    url = callback_url()
    present = {
        item["eventType"]: item for item in _listed(client) if item.get("callbackUrl") == url
    }
    created = 0
    clock = StepClock()
    for event_type in event_types():
        item = present.get(event_type)
        if item is None and clock.expired():
            # Out of time for this task: a fresh operation carries on where this one stopped.
            operation_start(organization=org, kind=ENSURE, lane=Lane.BULK)
            return {"created": created, "present": len(present), "more": True}
        if item is None:
            result = client.event_subscriptions.create(event_type=event_type, callback_url=url)
            subscription_id = str(result.id)
            created += 1
        else:
            subscription_id = str(item["subscriptionId"])
        Subscription.objects.update_or_create(
            organization=org,
            event_type=event_type,
            defaults={
                "subscription_id": subscription_id,
                "callback_url": url,
                "last_seen_at": timezone.now(),
            },
        )
    Subscription.objects.filter(organization=org).exclude(event_type__in=event_types()).delete()
    return {"created": created, "present": len(present)}


def subscriptions_delete_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    org = operation.organization
    url = callback_url()
    deleted = 0
    for item in _listed(client):
        if item.get("callbackUrl") != url:
            continue
        with contextlib.suppress(lx.NotFoundError):
            client.event_subscriptions.delete(str(item["subscriptionId"]))
        deleted += 1
    Subscription.objects.filter(organization=org).delete()
    return {"deleted": deleted}
