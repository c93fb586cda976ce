"""Shared helpers of the sales-document simulator tests: an in-process client and bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from lexware.simulator import Simulator, make_transport

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_client(clock: Clock | None = None) -> tuple[Simulator, httpx.Client]:
    sim = Simulator(rate=10_000, burst=10_000, clock=clock or Clock(), probe_callbacks=False)
    client = httpx.Client(
        transport=make_transport(sim),
        base_url="https://api.lexware.io",
        headers={"Authorization": "Bearer test-key"},
    )
    return sim, client


def create_contact(client: httpx.Client, name: str = "Müller & Söhne GmbH", **extra: Any) -> str:
    body = {
        "version": 0,
        "roles": {"customer": {}},
        "company": {"name": name},
        "addresses": {
            "billing": [
                {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
            ]
        },
        **extra,
    }
    response = client.post("/v1/contacts", json=body)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


def invoice_body(contact_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The §5.13 minimal create body (its totals are the §8.3 worked example)."""
    body: dict[str, Any] = {
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "address": {"contactId": contact_id}
        if contact_id
        else {"name": "Laufkunde", "countryCode": "DE"},
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 3,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 10.0, "taxRatePercentage": 19},
                "discountPercentage": 0,
            },
            {
                "type": "custom",
                "name": "Fachbuch",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "netAmount": 4.99, "taxRatePercentage": 7},
            },
            {"type": "text", "name": "Hinweis", "description": "Leistungszeitraum Februar"},
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "paymentConditions": {"paymentTermLabel": "Zahlbar in 14 Tagen", "paymentTermDuration": 14},
        "shippingConditions": {
            "shippingType": "serviceperiod",
            "shippingDate": "2026-02-01T00:00:00.000+01:00",
            "shippingEndDate": "2026-02-28T00:00:00.000+01:00",
        },
        "title": "Rechnung",
        "introduction": "Wir berechnen Ihnen:",
        "remark": "Vielen Dank.",
    }
    body.update(overrides)
    return body


def body_for(kind: str, contact_id: str | None = None) -> dict[str, Any]:
    body = invoice_body(contact_id)
    if kind in {"quotation", "creditnote"}:
        body.pop("shippingConditions")
    if kind == "quotation":
        body["expirationDate"] = "2026-04-01T00:00:00.000+02:00"
    if kind in {"creditnote", "deliverynote", "dunning"}:
        body.pop("paymentConditions")
    return body


def create(client: httpx.Client, path: str, body: dict[str, Any], **params: str) -> dict[str, Any]:
    response = client.post(f"/v1/{path}", json=body, params=params)
    assert response.status_code == 201, response.text
    fetched = client.get(f"/v1/{path}/{response.json()['id']}")
    assert fetched.status_code == 200
    result: dict[str, Any] = fetched.json()
    return result
