"""Payments (lexware-api.md §5.15) and the ledger used by the control endpoint."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lexware.simulator.ledger import PaymentError, record_payment
from tests.lexware.simulator.sales_helpers import (
    Clock,
    body_for,
    create,
    create_contact,
    invoice_body,
    make_client,
)


@pytest.fixture
def setup() -> Any:
    clock = Clock()
    sim, client = make_client(clock)
    events: list[tuple[str, str]] = []
    sim.emit = lambda tenant, event_type, resource_id: events.append((event_type, resource_id)) or 0  # type: ignore[method-assign]
    return sim, client, create_contact(client), events, clock


def tenant_of(sim: Any) -> Any:
    return sim.tenant_for_key("test-key")


def test_open_invoice(setup: Any) -> None:
    _, client, contact, _, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    body = client.get(f"/v1/payments/{invoice['id']}").json()
    assert body == {
        "openAmount": 41.04,
        "currency": "EUR",
        "paymentStatus": "openRevenue",
        "voucherType": "invoice",
        "voucherStatus": "open",
        "paymentItems": [],
    }


def test_partial_then_full_payment_moves_status_and_fires_events(setup: Any) -> None:
    sim, client, contact, events, clock = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    record_payment(sim, tenant_of(sim), invoice["id"], 20)
    assert client.get(f"/v1/payments/{invoice['id']}").json()["openAmount"] == 21.04
    assert ("payment.changed", invoice["id"]) in events
    assert ("invoice.status.changed", invoice["id"]) not in events
    clock.now += timedelta(days=2)
    view = record_payment(sim, tenant_of(sim), invoice["id"])
    assert (
        view["voucherStatus"] == "paid"
        and view["paymentStatus"] == "balanced"
        and view["openAmount"] == 0
    )
    assert view["paidDate"] == view["paymentItems"][-1]["postingDate"]
    assert [i["amount"] for i in view["paymentItems"]] == [20.0, 21.04]
    assert ("invoice.status.changed", invoice["id"]) in events and (
        "invoice.changed",
        invoice["id"],
    ) in events
    assert client.get(f"/v1/invoices/{invoice['id']}").json()["voucherStatus"] == "paid"
    with pytest.raises(PaymentError):
        record_payment(sim, tenant_of(sim), invoice["id"], 1)


def test_standalone_credit_note_becomes_paidoff(setup: Any) -> None:
    sim, client, contact, _, _ = setup
    credit = create(client, "credit-notes", body_for("creditnote", contact), finalize="true")
    assert record_payment(sim, tenant_of(sim), credit["id"])["voucherStatus"] == "paidoff"


def test_drafts_and_quotations_are_406_unknown_404(setup: Any) -> None:
    """§5.15: drafts → 406; vouchers without payment info → error (406); unknown → 404."""
    sim, client, contact, _, _ = setup
    draft = create(client, "invoices", invoice_body(contact))
    assert client.get(f"/v1/payments/{draft['id']}").status_code == 406
    quotation = create(client, "quotations", body_for("quotation", contact), finalize="true")
    assert client.get(f"/v1/payments/{quotation['id']}").status_code == 406
    assert client.get("/v1/payments/00000000-0000-4000-8000-000000000000").status_code == 404
    with pytest.raises(PaymentError):
        record_payment(sim, tenant_of(sim), draft["id"])


def test_voided_is_balanced(setup: Any) -> None:
    """§5.15: voided vouchers report balanced with open amount 0."""
    sim, client, contact, _, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    tenant_of(sim).sales[invoice["id"]]["voucherStatus"] = "voided"
    body = client.get(f"/v1/payments/{invoice['id']}").json()
    assert (body["paymentStatus"], body["openAmount"], body["voucherStatus"]) == (
        "balanced",
        0.0,
        "voided",
    )


def test_control_endpoint_books_payments(setup: Any) -> None:
    """The core's /_simulator/payments calls ledger.record_payment."""
    sim, client, contact, _, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    response = client.post(
        "/_simulator/payments", json={"apiKey": "test-key", "voucherId": invoice["id"]}
    )
    assert response.status_code == 200, response.text
    assert client.get(f"/v1/payments/{invoice['id']}").json()["voucherStatus"] == "paid"
