"""Event subscriptions (lexware-api.md §5.11) and webhook callbacks (§7.1, §7.2)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pydantic import Field

from .common import LexwareDateTime, LexwareModel
from .enums import EventType, Tolerant

__all__ = [
    "EVENT_TYPES",
    "RESOURCE_OF_EVENT",
    "EventSubscription",
    "EventSubscriptionList",
    "WebhookEvent",
    "event_resource",
]

EVENT_TYPES: Final[tuple[str, ...]] = tuple(member.value for member in EventType)
"""All 42 event types of §7.1, in documentation order."""

# Event type prefix (the part before the first ".") → the client resource that fetches the
# entity named by `resourceId`. `payment.changed` carries a voucher id whose payment state is
# read from /v1/payments/{id}. `token.revoked` names an OAuth connection, which no endpoint
# returns, so it is deliberately absent (event_resource() gives None).
RESOURCE_OF_EVENT: Final[Mapping[str, str]] = MappingProxyType(
    {
        "article": "articles",
        "contact": "contacts",
        "credit-note": "credit_notes",
        "delivery-note": "delivery_notes",
        "down-payment-invoice": "down_payment_invoices",
        "dunning": "dunnings",
        "invoice": "invoices",
        "order-confirmation": "order_confirmations",
        "quotation": "quotations",
        "recurring-template": "recurring_templates",
        "voucher": "vouchers",
        "payment": "payments",
    }
)


def event_resource(event_type: str) -> str | None:
    """The resource name for an event type (`"credit-note.status.changed"` → `"credit_notes"`),
    None for `token.revoked` and for prefixes this code does not know."""
    return RESOURCE_OF_EVENT.get(event_type.split(".", 1)[0])


class EventSubscription(LexwareModel):
    subscription_id: str | None = None
    organization_id: str | None = None
    created_date: LexwareDateTime | None = None
    event_type: Tolerant[EventType] | None = None
    callback_url: str | None = None


class EventSubscriptionList(LexwareModel):
    """`GET /v1/event-subscriptions` → `{"content": [...]}` without paging fields."""

    content: list[EventSubscription] = Field(default_factory=list)


class WebhookEvent(LexwareModel):
    """The JSON body Lexware POSTs to a callback URL. Verify the signature on the raw bytes
    *before* parsing (§7.3); only the id is sent, fetch the resource for details."""

    organization_id: str
    event_type: Tolerant[EventType]
    resource_id: str
    event_date: LexwareDateTime | None = None

    @property
    def resource(self) -> str | None:
        return event_resource(self.event_type)
