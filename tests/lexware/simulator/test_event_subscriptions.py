"""Event subscriptions endpoint (lexware-api.md §5.11, §7.5)."""

from __future__ import annotations

import httpx

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import client_for, new_sim

URL = "https://portal.example.org/hooks/lexware/"


def test_create_201_location_and_get(api: httpx.Client) -> None:
    """§5.11: 201 action result (version 0) + Location; GET returns the subscription."""
    response = api.post(
        "/v1/event-subscriptions", json={"eventType": "invoice.created", "callbackUrl": URL}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 0
    assert response.headers["Location"] == body["resourceUri"]
    sub = api.get(f"/v1/event-subscriptions/{body['id']}").json()
    assert sub["subscriptionId"] == body["id"]
    assert (sub["eventType"], sub["callbackUrl"]) == ("invoice.created", URL)
    assert set(sub) == {
        "subscriptionId",
        "organizationId",
        "createdDate",
        "eventType",
        "callbackUrl",
    }


def test_duplicate_is_409(api: httpx.Client) -> None:
    """§5.11: same eventType + callbackUrl again → 409."""
    body = {"eventType": "contact.changed", "callbackUrl": URL}
    assert api.post("/v1/event-subscriptions", json=body).status_code == 201
    conflict = api.post("/v1/event-subscriptions", json=body)
    assert conflict.status_code == 409
    assert conflict.json()["status"] == 409
    assert (
        api.post(
            "/v1/event-subscriptions", json={**body, "eventType": "contact.created"}
        ).status_code
        == 201
    )


def test_list_is_content_without_paging(api: httpx.Client) -> None:
    """§5.11 / Appendix A: {content: [...]} without paging fields."""
    api.post("/v1/event-subscriptions", json={"eventType": "invoice.created", "callbackUrl": URL})
    listing = api.get("/v1/event-subscriptions").json()
    assert set(listing) == {"content"} and len(listing["content"]) == 1


def test_delete_204_then_404(api: httpx.Client) -> None:
    """§5.11: DELETE → 204."""
    sub_id = api.post(
        "/v1/event-subscriptions", json={"eventType": "invoice.created", "callbackUrl": URL}
    ).json()["id"]
    assert api.delete(f"/v1/event-subscriptions/{sub_id}").status_code == 204
    assert api.get(f"/v1/event-subscriptions/{sub_id}").status_code == 404
    assert api.delete(f"/v1/event-subscriptions/{sub_id}").status_code == 404


def test_unknown_event_type_406(api: httpx.Client) -> None:
    """§7.1: event types are a fixed lower-case list."""
    response = api.post(
        "/v1/event-subscriptions", json={"eventType": "Invoice.Created", "callbackUrl": URL}
    )
    assert response.status_code == 406
    assert response.json()["details"][0]["field"] == "eventType"


def test_callback_must_be_https(api: httpx.Client) -> None:
    """§7.5: callbackUrl must be HTTPS."""
    response = api.post(
        "/v1/event-subscriptions",
        json={"eventType": "invoice.created", "callbackUrl": "http://127.0.0.1:8000/hooks/"},
    )
    assert response.status_code == 406


def test_http_loopback_allowed_when_configured() -> None:
    """README: allow_http_callbacks permits http://127.0.0.1 / localhost for the local demo only."""
    sim = new_sim(allow_http_callbacks=True)
    client = client_for(sim)
    ok = {"eventType": "invoice.created", "callbackUrl": "http://localhost:8000/hooks/"}
    assert client.post("/v1/event-subscriptions", json=ok).status_code == 201
    remote = {"eventType": "invoice.created", "callbackUrl": "http://portal.example.org/hooks/"}
    assert client.post("/v1/event-subscriptions", json=remote).status_code == 406


def test_head_probe_failure_is_406() -> None:
    """§5.11: Lexware HEADs the callback URL; failure → 406."""

    def refuse(request: httpx.Request) -> httpx.Response:
        assert request.method == "HEAD"
        raise httpx.ConnectError("connection refused", request=request)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(405)

    for transport, expected in (
        (httpx.MockTransport(refuse), 406),
        (httpx.MockTransport(answer), 201),
    ):
        sim: Simulator = new_sim(probe_callbacks=True, webhook_transport=transport)
        response = client_for(sim).post(
            "/v1/event-subscriptions", json={"eventType": "invoice.created", "callbackUrl": URL}
        )
        assert response.status_code == expected
