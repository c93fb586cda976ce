"""Creating sales vouchers over HTTP (lexware-api.md §5.1, §5.7-5.20, §6.3, §8, Appendix A)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.lexware.simulator.sales_helpers import (
    body_for,
    create,
    create_contact,
    invoice_body,
    make_client,
)

PATHS = {
    "invoices": "invoice",
    "credit-notes": "creditnote",
    "quotations": "quotation",
    "order-confirmations": "orderconfirmation",
    "delivery-notes": "deliverynote",
}


@pytest.fixture
def setup() -> Any:
    sim, client = make_client()
    events: list[tuple[str, str]] = []
    sim.emit = lambda tenant, event_type, resource_id: events.append((event_type, resource_id)) or 0  # type: ignore[method-assign]
    contact = create_contact(client)
    return sim, client, contact, events


def details(response: Any) -> set[str]:
    assert response.status_code == 406, response.text
    return {d["field"] for d in response.json()["details"]}


def test_draft_by_default_numbered_without_due_date(setup: Any) -> None:
    """§6.3 + Appendix B "Drafts": a draft already carries its number, but no dueDate."""
    _, client, contact, events = setup
    invoice = create(client, "invoices", invoice_body(contact))
    assert invoice["voucherStatus"] == "draft"
    assert invoice["voucherNumber"] == "RE10001" and "dueDate" not in invoice
    assert ("invoice.created", invoice["id"]) in events


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        ("invoices", "RE"),
        ("credit-notes", "GS"),
        ("quotations", "AG"),
        ("order-confirmations", "AB"),
        ("delivery-notes", "LS"),
    ],
)
def test_finalize_assigns_numbers_per_range(setup: Any, path: str, prefix: str) -> None:
    """§5.1 number ranges; §6.3 finalize=true → open."""
    _, client, contact, _ = setup
    first = create(client, path, body_for(PATHS[path], contact), finalize="true")
    second = create(client, path, body_for(PATHS[path], contact), finalize="true")
    assert first["voucherStatus"] == "open"
    assert (
        first["voucherNumber"] == f"{prefix}10001" and second["voucherNumber"] == f"{prefix}10002"
    )


def test_create_answer_is_an_action_result_with_location(setup: Any) -> None:
    """§1.4: 201, {id, resourceUri, createdDate, updatedDate, version}, Location header."""
    _, client, contact, _ = setup
    response = client.post("/v1/invoices", json=invoice_body(contact))
    assert response.status_code == 201
    assert set(response.json()) == {"id", "resourceUri", "createdDate", "updatedDate", "version"}
    assert response.headers["location"] == response.json()["resourceUri"]


def test_totals_and_due_date_of_the_minimal_body(setup: Any) -> None:
    """§8.3 worked example through the API; dueDate = voucherDate + paymentTermDuration (§5.1)."""
    _, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    assert invoice["totalPrice"] == {
        "currency": "EUR",
        "totalNetAmount": 34.99,
        "totalGrossAmount": 41.04,
        "totalTaxAmount": 6.05,
    }
    assert invoice["taxAmounts"] == [
        {"taxRatePercentage": 19, "taxAmount": 5.7, "netAmount": 30.0},
        {"taxRatePercentage": 7, "taxAmount": 0.35, "netAmount": 4.99},
    ]
    assert invoice["dueDate"] == "2026-03-16T00:00:00.000+01:00"
    assert (
        invoice["address"]["name"] == "Müller & Söhne GmbH"
        and invoice["address"]["city"] == "Hamburg"
    )


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("invoice", "shippingConditions"),
        ("orderconfirmation", "shippingConditions"),
        ("deliverynote", "shippingConditions"),
        ("quotation", "expirationDate"),
        ("invoice", "voucherDate"),
        ("creditnote", "lineItems"),
        ("invoice", "totalPrice"),
        ("invoice", "address"),
    ],
)
def test_required_fields_per_type(setup: Any, kind: str, missing: str) -> None:
    """§5.7-5.20 / Appendix A: each type's required fields → 406 with the field named."""
    _, client, contact, _ = setup
    body = body_for(kind, contact)
    body.pop(missing)
    path = {v: k for k, v in PATHS.items()}[kind]
    assert missing in details(client.post(f"/v1/{path}", json=body))


def test_dunning_needs_a_preceding_voucher(setup: Any) -> None:
    """§5.10: precedingSalesVoucherId is mandatory."""
    _, client, contact, _ = setup
    assert "precedingSalesVoucherId" in details(
        client.post("/v1/dunnings", json=body_for("dunning", contact))
    )


def test_corona_rates_by_relevant_date(setup: Any) -> None:
    """§8.4: 16 % valid for a relevant date in 2020-07..12 (shippingEndDate for periods), 19 % not."""
    _, client, contact, _ = setup
    body = invoice_body(contact, voucherDate="2021-01-05T00:00:00.000+01:00")
    body["shippingConditions"] = {
        "shippingType": "serviceperiod",
        "shippingDate": "2020-11-01T00:00:00.000+01:00",
        "shippingEndDate": "2020-12-31T00:00:00.000+01:00",
    }
    assert "lineItems[0].unitPrice.taxRatePercentage" in details(
        client.post("/v1/invoices", json=body)
    )
    body["lineItems"][0]["unitPrice"]["taxRatePercentage"] = 16
    body["lineItems"][1]["unitPrice"]["taxRatePercentage"] = 5
    assert client.post("/v1/invoices", json=body).status_code == 201
    body["shippingConditions"]["shippingEndDate"] = (
        "2021-01-01T00:00:00.000+01:00"  # relevant date now 2021
    )
    assert "lineItems[0].unitPrice.taxRatePercentage" in details(
        client.post("/v1/invoices", json=body)
    )


def test_vat_free_types_need_zero_rates_and_a_contact(setup: Any) -> None:
    """§5.1/§8.4: vat-free types → 0 %; vat-free types other than vatfree need a contactId."""
    _, client, contact, _ = setup
    body = invoice_body(contact, taxConditions={"taxType": "intraCommunitySupply"})
    assert "lineItems[0].unitPrice.taxRatePercentage" in details(
        client.post("/v1/invoices", json=body)
    )
    for item in body["lineItems"][:2]:
        item["unitPrice"]["taxRatePercentage"] = 0
    assert client.post("/v1/invoices", json=body).status_code == 201
    body["address"] = {"name": "Laufkunde", "countryCode": "FR"}
    assert "address.contactId" in details(client.post("/v1/invoices", json=body))
    body["taxConditions"] = {"taxType": "vatfree"}
    assert client.post("/v1/invoices", json=body).status_code == 201


def test_line_item_limit_and_lengths(setup: Any) -> None:
    """§5.1: at most 300 line items; §8.5: title ≤ 25, name ≤ 255."""
    _, client, contact, _ = setup
    body = invoice_body(contact)
    body["lineItems"] = [dict(body["lineItems"][0]) for _ in range(300)]
    assert client.post("/v1/invoices", json=body).status_code == 201
    body["lineItems"].append(dict(body["lineItems"][0]))
    assert "lineItems" in details(client.post("/v1/invoices", json=body))
    body = invoice_body(contact, title="x" * 26)
    body["lineItems"][0]["name"] = "y" * 256
    assert details(client.post("/v1/invoices", json=body)) >= {"title", "lineItems[0].name"}


def test_timestamp_format_is_strict(setup: Any) -> None:
    """§8.1: not exactly yyyy-MM-ddTHH:mm:ss.SSSXXX → 406 (README: 406, not the observed 400)."""
    _, client, contact, _ = setup
    for value in ("2026-03-02T00:00:00+01:00", "2026-03-02", "2026-03-02T00:00:00.0+01:00"):
        assert "voucherDate" in details(
            client.post("/v1/invoices", json=invoice_body(contact, voucherDate=value))
        )


def test_eur_only_and_decimals(setup: Any) -> None:
    """§8.2: EUR only; unit prices/quantities ≤ 4 decimals; discounts ≤ 2."""
    _, client, contact, _ = setup
    body = invoice_body(contact)
    body["totalPrice"]["currency"] = "USD"
    body["lineItems"][0]["unitPrice"]["netAmount"] = 1.23456
    body["lineItems"][0]["discountPercentage"] = 1.234
    assert details(client.post("/v1/invoices", json=body)) == {
        "totalPrice.currency",
        "lineItems[0].unitPrice.netAmount",
        "lineItems[0].discountPercentage",
    }


def test_material_items_reference_articles(setup: Any) -> None:
    """§5.1 / Appendix A: only material/service items carry an id, and it must be an article."""
    _, client, contact, _ = setup
    body = invoice_body(contact)
    body["lineItems"][0]["type"] = "service"
    assert "lineItems[0].id" in details(client.post("/v1/invoices", json=body))
    body = invoice_body(contact)
    body["lineItems"][0]["id"] = "6f1f2c1e-0000-4000-8000-000000000000"
    assert "lineItems[0].id" in details(client.post("/v1/invoices", json=body))


def test_payment_conditions_need_a_label(setup: Any) -> None:
    """§5.1 (observed): paymentConditions without paymentTermLabel → 406."""
    _, client, contact, _ = setup
    body = invoice_body(contact, paymentConditions={"paymentTermDuration": 14})
    assert "paymentConditions.paymentTermLabel" in details(client.post("/v1/invoices", json=body))


def test_credit_notes_have_no_discounts(setup: Any) -> None:
    """§5.7 / §5.1: no line or total discounts on credit notes."""
    _, client, contact, _ = setup
    body = body_for("creditnote", contact)
    body["lineItems"][0]["discountPercentage"] = 10
    assert "lineItems[0].discountPercentage" in details(client.post("/v1/credit-notes", json=body))


def test_delivery_note_without_prices_and_totals(setup: Any) -> None:
    """§5.8: unitPrice optional, no totals."""
    _, client, contact, _ = setup
    body = body_for("deliverynote", contact)
    for item in body["lineItems"]:
        item.pop("unitPrice", None)
    note = create(client, "delivery-notes", body, finalize="true")
    assert "totalPrice" not in note and "taxAmounts" not in note
    assert note["electronicDocumentProfile"] == "NONE"


def test_gross_invoice_with_total_discount(setup: Any) -> None:
    """§8.3 gross documents with a total percentage discount."""
    _, client, contact, _ = setup
    body = invoice_body(contact, taxConditions={"taxType": "gross"})
    body["lineItems"] = [
        {
            "type": "custom",
            "name": "Pauschale",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "grossAmount": 120.0, "taxRatePercentage": 19},
        }
    ]
    body["totalPrice"] = {"currency": "EUR", "totalDiscountPercentage": 10}
    invoice = create(client, "invoices", body)
    assert invoice["lineItems"][0]["unitPrice"]["netAmount"] == 100.84
    assert invoice["totalPrice"]["totalGrossAmount"] == 108.0
    assert invoice["totalPrice"]["totalNetAmount"] == 90.76
    assert invoice["totalPrice"]["totalDiscountAbsolute"] == 12.0


def test_missing_content_type_and_malformed_json(setup: Any) -> None:
    """§2.3: 415 without application/json; unparsable JSON → 400."""
    _, client, _, _ = setup
    assert client.post("/v1/invoices", content=b"{}").status_code == 415
    bad = client.post("/v1/invoices", content=b"{", headers={"Content-Type": "application/json"})
    assert bad.status_code == 400


def test_routes_the_real_api_lacks(setup: Any) -> None:
    """Appendix A: no collection GET, PUT, finalize or down-payment POST on sales vouchers."""
    _, client, contact, _ = setup
    invoice_id = client.post("/v1/invoices", json=invoice_body(contact)).json()["id"]
    assert client.get("/v1/invoices").status_code in (403, 404, 405)
    assert client.put(f"/v1/invoices/{invoice_id}", json={}).status_code in (403, 404, 405)
    assert client.post(f"/v1/invoices/{invoice_id}/finalize").status_code in (403, 404, 405)
    assert client.post("/v1/down-payment-invoices", json={}).status_code in (403, 404, 405)
    assert client.get(f"/v1/quotations/{invoice_id}").status_code == 404  # wrong type for the id
