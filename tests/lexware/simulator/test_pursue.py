"""Pursuing follow-up documents (lexware-api.md §5.2, §5.10) and credit-note settlement."""

from __future__ import annotations

from typing import Any

import pytest

from tests.lexware.simulator.sales_helpers import body_for, create, create_contact, make_client


@pytest.fixture
def setup() -> Any:
    sim, client = make_client()
    events: list[tuple[str, str]] = []
    sim.emit = lambda tenant, event_type, resource_id: events.append((event_type, resource_id)) or 0  # type: ignore[method-assign]
    return sim, client, create_contact(client), events


def pursue(client: Any, path: str, kind: str, contact: str, preceding: str, **params: str) -> Any:
    return client.post(
        f"/v1/{path}",
        json=body_for(kind, contact),
        params={"precedingSalesVoucherId": preceding, **params},
    )


def test_full_chain_links_both_sides(setup: Any) -> None:
    """§5.2: quotation → order confirmation → delivery note → invoice; relatedVouchers both ways."""
    _, client, contact, events = setup
    quotation = create(client, "quotations", body_for("quotation", contact), finalize="true")
    confirmation = create(
        client,
        "order-confirmations",
        body_for("orderconfirmation", contact),
        finalize="true",
        precedingSalesVoucherId=quotation["id"],
    )
    note = create(
        client,
        "delivery-notes",
        body_for("deliverynote", contact),
        finalize="true",
        precedingSalesVoucherId=confirmation["id"],
    )
    invoice = create(
        client,
        "invoices",
        body_for("invoice", contact),
        finalize="true",
        precedingSalesVoucherId=note["id"],
    )
    assert invoice["relatedVouchers"] == [
        {"id": note["id"], "voucherNumber": "LS10001", "voucherType": "deliverynote"}
    ]
    note_after = client.get(f"/v1/delivery-notes/{note['id']}").json()
    assert {r["id"] for r in note_after["relatedVouchers"]} == {confirmation["id"], invoice["id"]}
    assert note_after["version"] == note["version"] + 1
    assert ("delivery-note.changed", note["id"]) in events


@pytest.mark.parametrize(
    ("path", "kind", "source"),
    [
        ("credit-notes", "creditnote", "quotation"),
        ("order-confirmations", "orderconfirmation", "invoice"),
        ("invoices", "invoice", "creditnote"),
        ("dunnings", "dunning", "quotation"),
    ],
)
def test_invalid_transitions_are_406(setup: Any, path: str, kind: str, source: str) -> None:
    """§5.2 rules table: transitions outside the graph → 406."""
    _, client, contact, _ = setup
    source_path = {"quotation": "quotations", "invoice": "invoices", "creditnote": "credit-notes"}[
        source
    ]
    preceding = create(client, source_path, body_for(source, contact), finalize="true")
    assert pursue(client, path, kind, contact, preceding["id"]).status_code == 406


def test_quotation_with_optional_items_cannot_be_pursued(setup: Any) -> None:
    _, client, contact, _ = setup
    body = body_for("quotation", contact)
    body["lineItems"][1]["optional"] = True
    quotation = create(client, "quotations", body, finalize="true")
    assert (
        pursue(
            client, "order-confirmations", "orderconfirmation", contact, quotation["id"]
        ).status_code
        == 406
    )


def test_drafts_of_order_confirmations_cannot_be_pursued(setup: Any) -> None:
    _, client, contact, _ = setup
    draft = create(client, "order-confirmations", body_for("orderconfirmation", contact))
    assert pursue(client, "invoices", "invoice", contact, draft["id"]).status_code == 406


def test_credit_note_settles_the_invoice(setup: Any) -> None:
    """§5.2: finalized credit note from an invoice → paidoff, invoice open amount reduced; only one."""
    _, client, contact, events = setup
    invoice = create(client, "invoices", body_for("invoice", contact), finalize="true")
    body = body_for("creditnote", contact)
    body["lineItems"] = body["lineItems"][1:2]  # 4.99 @7 % → 5.34 gross
    response = client.post(
        "/v1/credit-notes",
        json=body,
        params={"precedingSalesVoucherId": invoice["id"], "finalize": "true"},
    )
    assert response.status_code == 201
    credit = client.get(f"/v1/credit-notes/{response.json()['id']}").json()
    assert credit["voucherStatus"] == "paidoff"
    payments = client.get(f"/v1/payments/{invoice['id']}").json()
    assert payments["openAmount"] == round(41.04 - 5.34, 2)
    assert payments["paymentItems"][0]["paymentItemType"] == "partPaymentCreditNote"
    assert ("payment.changed", invoice["id"]) in events
    again = client.post(
        "/v1/credit-notes", json=body, params={"precedingSalesVoucherId": invoice["id"]}
    )
    assert again.status_code == 406


def test_credit_note_from_draft_invoice_is_406(setup: Any) -> None:
    _, client, contact, _ = setup
    draft = create(client, "invoices", body_for("invoice", contact))
    assert pursue(client, "credit-notes", "creditnote", contact, draft["id"]).status_code == 406


def test_dunning_rules(setup: Any) -> None:
    """§5.10: always draft, no number, same contact and taxConditions as the invoice."""
    _, client, contact, _ = setup
    invoice = create(client, "invoices", body_for("invoice", contact), finalize="true")
    other = create_contact(client, "Andere GmbH")
    assert pursue(client, "dunnings", "dunning", other, invoice["id"]).status_code == 406
    body = body_for("dunning", contact)
    body["taxConditions"] = {"taxType": "gross"}
    body["lineItems"] = [
        {
            "type": "custom",
            "name": "Mahngebühr",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "grossAmount": 5, "taxRatePercentage": 0},
        }
    ]
    assert (
        client.post(
            "/v1/dunnings", json=body, params={"precedingSalesVoucherId": invoice["id"]}
        ).status_code
        == 406
    )
    dunning = create(
        client,
        "dunnings",
        body_for("dunning", contact),
        finalize="true",
        precedingSalesVoucherId=invoice["id"],
    )
    assert dunning["voucherStatus"] == "draft" and "voucherNumber" not in dunning
