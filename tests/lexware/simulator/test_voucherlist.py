"""GET /v1/voucherlist (lexware-api.md §5.22, §4, Appendix A)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from lexware.simulator.ledger import record_payment
from lexware.simulator.sales_seed import seed_demo_sales
from lexware.simulator.sales_seed_scale import seed_scale_sales
from tests.lexware.simulator.sales_helpers import (
    NOW,
    Clock,
    create,
    create_contact,
    invoice_body,
    make_client,
)


@pytest.fixture
def setup() -> Any:
    clock = Clock()
    sim, client = make_client(clock)
    return sim, client, create_contact(client), clock


def listing(client: Any, **params: Any) -> Any:
    return client.get("/v1/voucherlist", params=params)


def test_both_filters_are_mandatory(setup: Any) -> None:
    _, client, _, _ = setup
    response = listing(client, voucherType="invoice")
    assert response.status_code == 400 and "voucherStatus" in response.json()["message"]
    assert listing(client, voucherStatus="open").status_code == 400


@pytest.mark.parametrize(
    ("param", "value", "status"),
    [
        ("voucherType", "dunning", 400),
        ("voucherType", "recurringtemplate", 400),
        ("voucherStatus", "paymentordered", 400),
        ("voucherType", "any,invoice", 400),
        ("voucherStatus", "overdue,open", 400),
        ("voucherStatus", "open,,paid", 500),
    ],
)
def test_invalid_filter_values(setup: Any, param: str, value: str, status: int) -> None:
    _, client, _, _ = setup
    params = {"voucherType": "invoice", "voucherStatus": "open", param: value}
    response = listing(client, **params)
    assert response.status_code == status
    if status == 400 and "," not in value:
        assert (
            response.json()["message"]
            == f"Invalid value '{value}' received for request parameter '{param}'"
        )


def test_row_shape_and_null_open_amount_for_drafts(setup: Any) -> None:
    _, client, contact, _ = setup
    draft = create(client, "invoices", invoice_body(contact))
    final = create(client, "invoices", invoice_body(contact), finalize="true")
    rows = {
        r["id"]: r
        for r in listing(client, voucherType="invoice", voucherStatus="any").json()["content"]
    }
    assert set(rows[final["id"]]) == {
        "id",
        "voucherType",
        "voucherStatus",
        "voucherNumber",
        "voucherDate",
        "createdDate",
        "updatedDate",
        "dueDate",
        "contactId",
        "contactName",
        "totalAmount",
        "openAmount",
        "currency",
        "archived",
    }
    assert rows[final["id"]]["totalAmount"] == 41.04 and rows[final["id"]]["openAmount"] == 41.04
    # Appendix B: a draft is listed with status draft and already carries its number.
    assert (
        rows[draft["id"]]["openAmount"] is None
        and rows[draft["id"]]["voucherNumber"] == draft["voucherNumber"]
    )
    assert rows[draft["id"]]["voucherStatus"] == "draft" and rows[draft["id"]]["dueDate"] is None
    assert rows[final["id"]]["contactName"] == "Müller & Söhne GmbH"


def test_overdue_is_derived_and_found_by_open(setup: Any) -> None:
    """§5.22/§6.1: open past due shows `overdue`; `open` finds it, `overdue` alone finds only it."""
    _, client, contact, clock = setup
    invoice = create(
        client, "invoices", invoice_body(contact), finalize="true"
    )  # due 2026-03-16, now 03-20
    young = create(
        client,
        "invoices",
        invoice_body(
            contact,
            voucherDate="2026-03-19T00:00:00.000+01:00",
            shippingConditions={"shippingType": "none"},
        ),
        finalize="true",
    )
    by_open = {
        r["id"]: r["voucherStatus"]
        for r in listing(client, voucherType="invoice", voucherStatus="open").json()["content"]
    }
    assert by_open == {invoice["id"]: "overdue", young["id"]: "open"}
    overdue = listing(client, voucherType="invoice", voucherStatus="overdue").json()["content"]
    assert [r["id"] for r in overdue] == [invoice["id"]]
    clock.now += timedelta(
        days=40
    )  # time passes: the young one is overdue too (cache keyed by day)
    assert (
        len(listing(client, voucherType="invoice", voucherStatus="overdue").json()["content"]) == 2
    )


def test_payment_moves_row_to_paid(setup: Any) -> None:
    sim, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    assert listing(client, voucherType="invoice", voucherStatus="paid").json()["totalElements"] == 0
    record_payment(sim, sim.tenant_for_key("test-key"), invoice["id"])
    rows = listing(client, voucherType="invoice", voucherStatus="paid").json()["content"]
    assert [(r["id"], r["openAmount"]) for r in rows] == [(invoice["id"], 0.0)]


def test_lists_tolerate_spaces_and_number_is_html_unescaped(setup: Any) -> None:
    _, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    rows = listing(
        client,
        voucherType="invoice, creditnote",
        voucherStatus="open, overdue, paid".replace(", overdue", ""),
        voucherNumber="RE10001",
    ).json()["content"]
    assert [r["id"] for r in rows] == [invoice["id"]]
    assert (
        listing(client, voucherType="any", voucherStatus="any", voucherNumber="RE&amp;1").json()[
            "totalElements"
        ]
        == 0
    )


def test_date_filters(setup: Any) -> None:
    """§5.22: yyyy-MM-dd whole CET/CEST days, `…To` inclusive; full datetimes → 400."""
    _, client, contact, _ = setup
    invoice = create(
        client, "invoices", invoice_body(contact), finalize="true"
    )  # voucherDate 2026-03-02 00:00 CET

    def count(**params: str) -> int:
        return int(
            listing(client, voucherType="any", voucherStatus="any", **params).json()[
                "totalElements"
            ]
        )

    assert count(voucherDateFrom="2026-03-02", voucherDateTo="2026-03-02") == 1
    assert count(voucherDateTo="2026-03-01") == 0
    assert count(voucherDateFrom="2026-03-03") == 0
    assert count(createdDateFrom="2026-03-20", createdDateTo="2026-03-20") == 1
    assert count(updatedDateTo="2026-03-19") == 0
    assert (
        listing(
            client,
            voucherType="any",
            voucherStatus="any",
            voucherDateFrom="2026-03-02T00:00:00.000+01:00",
        ).status_code
        == 400
    )
    assert invoice["id"]


def test_bookkeeping_vouchers_are_listed(setup: Any) -> None:
    sim, client, _, _ = setup
    body = {
        "type": "salesinvoice",
        "voucherNumber": "SHOP-1",
        "voucherDate": "2026-03-02",
        "totalGrossAmount": 119.0,
        "totalTaxAmount": 19.0,
        "taxType": "gross",
        "useCollectiveContact": True,
        "contactName": "Laufkunde",
        "voucherItems": [
            {
                "amount": 119.0,
                "taxAmount": 19.0,
                "taxRatePercent": 19,
                "categoryId": "8f8664a8-fd86-11e1-a21f-0800200c9a66",
            }
        ],
    }
    created = client.post("/v1/vouchers", json=body)
    assert created.status_code == 201, created.text
    rows = listing(client, voucherType="salesinvoice", voucherStatus="any").json()["content"]
    assert [(r["voucherNumber"], r["totalAmount"], r["contactName"]) for r in rows] == [
        ("SHOP-1", 119.0, "Laufkunde")
    ]


def test_sorting_and_paging(setup: Any) -> None:
    """§4: no sort → newest first; sort without direction → ascending; size ≤ 250."""
    sim, client, _, _ = setup
    tenant = sim.tenant_for_key("test-key")
    seed_demo_sales(tenant, random.Random(3), NOW)
    default = listing(client, voucherType="any", voucherStatus="any", size=100).json()
    dates = [r["voucherDate"] for r in default["content"]]
    assert dates == sorted(dates, reverse=True)
    # Appendix B: a size above 250 is refused, not clamped.
    assert listing(client, voucherType="any", voucherStatus="any", size=500).status_code == 400
    ascending = listing(
        client, voucherType="any", voucherStatus="any", sort="voucherNumber", size=250
    ).json()
    assert ascending["size"] == 250
    numbers = [r["voucherNumber"] for r in ascending["content"] if r["voucherNumber"]]
    assert numbers == sorted(numbers)
    dunnings = [v for v in tenant.sales.values() if v["_type"] == "dunning"]
    assert dunnings and ascending["totalElements"] == len(tenant.sales) - len(dunnings)
    assert (
        listing(client, voucherType="any", voucherStatus="any", sort="title,ASC").status_code == 400
    )


def test_search_window_over_100k(setup: Any) -> None:
    """§4: totalElements capped at 10,000; a page beyond the window → 400 (speed: see README)."""
    sim, client, _, _ = setup
    tenant = sim.tenant_for_key("test-key")
    seed_scale_sales(tenant, random.Random(5), NOW, 100_000)
    first = listing(
        client, voucherType="invoice", voucherStatus="any", size=250, sort="voucherDate,ASC"
    )
    assert first.json()["totalElements"] == 10_000 and first.json()["totalPages"] == 40
    assert (
        listing(
            client,
            voucherType="invoice",
            voucherStatus="any",
            size=250,
            page=40,
            sort="voucherDate,ASC",
        ).status_code
        == 400
    )
