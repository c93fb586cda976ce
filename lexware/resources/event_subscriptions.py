"""``client.event_subscriptions`` (§5.11): list, get, create, delete (no update: delete and
recreate)."""

from __future__ import annotations

from lexware.errors import InvalidRequestError
from lexware.models import EVENT_TYPES, ActionResult, EventSubscription, EventSubscriptionList
from lexware.resources._base import Resource, require_id


class EventSubscriptions(Resource):
    name = "event_subscriptions"
    path = "/v1/event-subscriptions"

    def list(self) -> EventSubscriptionList:
        return self._get_model(EventSubscriptionList, self.path)

    def get(self, subscription_id: str) -> EventSubscription:
        return self._get_model(
            EventSubscription, f"{self.path}/{require_id(subscription_id, 'subscription_id')}"
        )

    def create(self, *, event_type: str, callback_url: str) -> ActionResult:
        """Lexware probes the callback with HEAD (failure → ValidationError 406); the same
        event type and URL twice → ConflictError (409)."""
        if event_type not in EVENT_TYPES:
            raise InvalidRequestError(f"unknown event type {event_type!r}")
        # Lexware itself insists on https (406); plain http is let through for local setups
        # whose simulator accepts it.
        if not callback_url.startswith(("https://", "http://")):
            raise InvalidRequestError("callback_url must be an https:// URL")
        body = {"eventType": event_type, "callbackUrl": callback_url}
        raw = self._request("POST", self.path, json=body)
        return ActionResult.model_validate(raw.json())

    def delete(self, subscription_id: str) -> None:
        self._request("DELETE", f"{self.path}/{require_id(subscription_id, 'subscription_id')}")
