"""Event subscriptions (lexware-api.md §5.11, §7.5; regular error shape)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from lexware.simulator.actions import action_result
from lexware.simulator.bodies import Problems, is_blank, json_body, not_found
from lexware.simulator.errors import regular
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import new_id
from lexware.simulator.timefmt import format_datetime
from lexware.simulator.webhooks import EVENT_TYPES

FAMILY = "regular"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def callback_url_allowed(url: str, allow_http_local: bool) -> bool:
    """HTTPS only (§7.5); the simulator may also allow plain http to a loopback host for demos."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return allow_http_local and parts.scheme == "http" and parts.hostname in LOCAL_HOSTS


def render(sub: dict[str, Any]) -> dict[str, Any]:
    return {
        key: sub[key]
        for key in ("subscriptionId", "organizationId", "createdDate", "eventType", "callbackUrl")
    }


@router.route("POST", "/v1/event-subscriptions")
def subscription_create(ctx: Context, req: Request) -> Response:
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    event_type, url = body.get("eventType"), body.get("callbackUrl")
    if is_blank(event_type):
        problems.missing("eventType")
    elif event_type not in EVENT_TYPES:
        problems.invalid("eventType", "unbekannter Ereignistyp")
    if is_blank(url):
        problems.missing("callbackUrl")
    elif not isinstance(url, str) or not callback_url_allowed(url, ctx.sim.allow_http_callbacks):
        problems.invalid("callbackUrl", "muss eine https-URL sein")
    problems.raise_if_any()
    for sub in ctx.tenant.subscriptions.values():
        if sub["eventType"] == event_type and sub["callbackUrl"] == url:
            raise regular(
                409,
                req,
                "Subscription for this event type and callback URL already exists",
                now=ctx.now(),
            )
    if ctx.sim.probe_callbacks and not ctx.sim.webhooks.probe(str(url)):
        raise regular(
            406, req, f"Callback URL {url} is not reachable (HEAD request failed)", now=ctx.now()
        )
    now = format_datetime(ctx.now())
    sub_id = new_id()
    sub = {
        "subscriptionId": sub_id,
        "organizationId": ctx.tenant.organization_id,
        "createdDate": now,
        "eventType": event_type,
        "callbackUrl": url,
    }
    ctx.tenant.subscriptions[sub_id] = sub
    record = {"id": sub_id, "createdDate": now, "updatedDate": now, "version": 0}
    return action_result(ctx, f"/v1/event-subscriptions/{sub_id}", record)


@router.route("GET", "/v1/event-subscriptions")
def subscription_list(ctx: Context, req: Request) -> Response:
    return Response.json(200, {"content": [render(s) for s in ctx.tenant.subscriptions.values()]})


@router.route("GET", "/v1/event-subscriptions/{id}")
def subscription_get(ctx: Context, req: Request, id: str) -> Response:
    sub = ctx.tenant.subscriptions.get(id)
    if sub is None:
        raise not_found(ctx, req, FAMILY)
    return Response.json(200, render(sub))


@router.route("DELETE", "/v1/event-subscriptions/{id}")
def subscription_delete(ctx: Context, req: Request, id: str) -> Response:
    if ctx.tenant.subscriptions.pop(id, None) is None:
        raise not_found(ctx, req, FAMILY)
    return Response.empty(204)
