"""The editor's rules and the write path's promises for documents (issue 11 items 5 and 6):
Lexware's 406 lands on the row it concerns, an outage keeps every line, 300 lines are fine
and 301 are refused, an ambiguous create is found in the voucherlist and never sent twice,
the tax types' rules of §5.1 are checked before anything is sent."""

from __future__ import annotations

import re
import socket
import time
from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.documents.models import Document
from portal.operations import runner
from portal.operations.clients import in_process_simulator
from portal.operations.models import Operation, OperationState
from portal.reference.models import ReferenceItem
from tests.portal.sales.conftest import KEY, form_fields, token

NEW = "/o/alpha/documents/new/invoice/"


def _line(index: int, **values: str) -> dict[str, str]:
    line = {
        "type": "custom",
        "name": f"Position {index + 1}",
        "quantity": "1",
        "unit_name": "Stück",
        "unit_price": "10.00",
        "tax_rate": "19",
        "discount": "",
        **values,
    }
    return {f"lines-{index}-{key}": value for key, value in line.items()}


def invoice_data(client: Any, lines: int = 2, **header: str) -> dict[str, str]:
    data = {
        "idempotency_key": token(client.get(NEW).content.decode()),
        "address_name": "Einmal GmbH",
        "address_street": "Hafenweg 3",
        "address_zip": "20457",
        "address_city": "Hamburg",
        "address_country": "DE",
        "voucher_date": "2026-11-02",
        "tax_type": "net",
        "shipping_type": "delivery",
        "shipping_date": "2026-11-02",
        "lines-TOTAL_FORMS": str(lines),
        "lines-INITIAL_FORMS": "0",
        "action": "send",
        **header,
    }
    for index in range(lines):
        data.update(_line(index))
    return data


def _status_url(op: Operation) -> str:
    return reverse(
        "sales:status", kwargs={"org_slug": "alpha", "voucher_type": "invoice", "code": op.code}
    )


def _posts(since: float) -> list[dict[str, Any]]:
    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] == "POST" and r["path"].startswith("/v1/invoices")
    ]


def _row_error(html: str, index: int, field: str) -> str:
    match = re.search(rf'id="id_lines-{index}-{field}_error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def test_lexwares_406_on_a_line_lands_on_that_rows_field(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    """19 % on a delivery in August 2020 passes the form, but Lexware wants 16 % then (§8.4):
    its error names lineItems[1].unitPrice.taxRatePercentage, the editor shows it on row 2."""
    client = client_for(bob)
    data = invoice_data(client, voucher_date="2020-08-03", shipping_date="2020-08-03")
    data.update(_line(0, tax_rate="0"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, data)
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.FAILED
    assert "lineItems[1].unitPrice.taxRatePercentage" in op.field_errors, op.field_errors
    html = client.get(_status_url(op)).content.decode()
    assert "Lexware" in _row_error(html, 1, "tax_rate")
    assert not _row_error(html, 0, "tax_rate")
    assert 'value="Position 2"' in html and 'value="Einmal GmbH"' in html


def test_local_rules_are_checked_before_anything_is_sent(client_for, bob, connected) -> None:
    client = client_for(bob)
    cases = [
        (
            {
                "tax_type": "intraCommunitySupply",
                **_line(0, tax_rate="0"),
                **_line(1, tax_rate="0"),
            },
            "tax_type",
        ),
        ({"tax_type": "vatfree"}, None),  # rows at 19 % → row errors
        (
            {"shipping_type": "serviceperiod", "shipping_end_date": "2026-10-01"},
            "shipping_end_date",
        ),
        ({"address_name": ""}, "address_name"),
        (
            {"total_discount_percentage": "5", "total_discount_absolute": "3"},
            "total_discount_absolute",
        ),
        ({"voucher_date": "31.02.2026"}, "voucher_date"),
    ]
    for change, field in cases:
        response = client.post(NEW, {**invoice_data(client), **change})
        html = response.content.decode()
        assert response.status_code == 200
        if field:
            assert f'id="id_{field}_error"' in html, (change, field)
        else:
            assert "VAT-free documents have a tax rate of 0" in _row_error(html, 0, "tax_rate")
    assert not Operation.objects.exists()


def test_a_small_business_can_only_write_vat_free_documents(client_for, bob, connected) -> None:
    ReferenceItem.objects.create(
        organization=connected.organization,
        kind=ReferenceItem.Kind.PROFILE,
        key="profile",
        raw={"taxType": "net", "smallBusiness": True},
    )
    client = client_for(bob)
    html = client.get(NEW).content.decode()
    options = re.search(r'<select name="tax_type"[^>]*>(.*?)</select>', html, re.S)
    assert options and re.findall(r'value="([^"]+)"', options.group(1)) == ["vatfree"]
    response = client.post(NEW, invoice_data(client))
    assert 'id="id_tax_type_error"' in response.content.decode()
    assert not Operation.objects.exists()


def test_three_hundred_lines_are_sent_and_three_hundred_and_one_are_refused(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    refused = client.post(NEW, invoice_data(client, lines=301))
    assert refused.status_code == 200 and not Operation.objects.exists()
    assert "300" in refused.content.decode()
    totals = client.post(f"{NEW}totals/", invoice_data(client, lines=300)).content.decode()
    assert "3,570.00" in totals  # 300 × 10.00 net + 19 %
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, invoice_data(client, lines=300))
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    document = Document.objects.get(lexware_id=op.target_id)
    assert len(document.raw["lineItems"]) == 300
    assert document.raw["totalPrice"]["totalGrossAmount"] == 3570.0


def test_an_ambiguous_create_is_found_in_the_voucherlist_and_not_sent_again(
    client_for, bob, connected, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    """504 after Lexware made the invoice (§9): the reconciler finds it by type, created date
    and the total lexware.totals computes for what was sent, and adopts it."""
    sim.faults.add(KEY, Fault("504", count=1, method="POST", path_prefix="/v1/invoices"))
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, invoice_data(client))
    op = Operation.objects.get(kind="invoice.create")
    for _ in range(5):
        if op.state in (OperationState.SUCCEEDED, OperationState.FAILED):
            break
        Operation.objects.filter(pk=op.pk).update(not_before=None)
        runner.execute(op.pk)
        op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, (op.state, op.error_message, op.reconciliation)
    assert len(_posts(since)) == 1
    assert Document.objects.get(lexware_id=op.target_id).voucher_type == "invoice"
    assert op.reconciliation.get("found") == op.target_id, op.reconciliation


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_while_lexware_is_down_every_line_waits_and_the_editor_reopens_with_them(
    client_for, bob, connected, sim, no_follow_up, settings, django_capture_on_commit_callbacks
) -> None:
    settings.LEXWARE_IN_PROCESS_SIMULATOR = False
    settings.LEXWARE_BASE_URL = f"http://127.0.0.1:{_closed_port()}"
    client = client_for(bob)
    data = invoice_data(client, lines=3, title="Rechnung Nov")
    data.update(_line(2, type="text", name="Hinweis", description="Zeile eins\nZeile zwei"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, data)
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.PENDING
    edit = f"{NEW}?from={op.code}"
    assert f'href="{edit}"' in client.get(_status_url(op)).content.decode()
    reopened = form_fields(client.get(edit).content.decode())
    assert reopened["lines-TOTAL_FORMS"] == "3"
    assert [reopened[f"lines-{i}-name"] for i in range(3)] == [
        "Position 1",
        "Position 2",
        "Hinweis",
    ]
    assert reopened["lines-2-description"] == "Zeile eins\nZeile zwei"
    assert reopened["title"] == "Rechnung Nov" and reopened["replaces"] == str(op.code)
    assert reopened["address_name"] == "Einmal GmbH" and reopened["shipping_date"] == "2026-11-02"


@pytest.mark.parametrize(
    "action",
    ["add:text", "customer:junk", "article:<script>", "remove:999"],
)
def test_hostile_edits_and_totals_never_fail_the_page(client_for, bob, connected, action) -> None:
    """The editor's own buttons and the totals region with hostile values (T4): 200, nothing
    echoed unescaped, nothing started."""
    client = client_for(bob)
    for value in ('<script>alert("x")</script>', "abc\x00def", "9" * 40, "-1", "1e999", ""):
        data = {
            **invoice_data(client),
            **dict.fromkeys(("lines-TOTAL_FORMS", "lines-0-quantity", "customer_query"), value),
            "lines-1-unit_price": value,
            "total_discount_absolute": value,
            "action": action,
        }
        for url in (NEW, f"{NEW}totals/"):
            response = client.post(url, data, headers={"HX-Request": "true"})
            assert response.status_code == 200, (url, value, action)
            assert "<script>alert" not in response.content.decode()
        search = client.get(f"{NEW}customers/", {"customer_query": value})
        assert search.status_code == 200 and "<script>alert" not in search.content.decode()
    assert not Operation.objects.exists()


@pytest.mark.parametrize(
    ("voucher_type", "extra"),
    [
        ("quotation", {"expiration_date": "2026-12-02"}),
        ("orderconfirmation", {"delivery_terms": "Lieferung frei Haus"}),
        ("deliverynote", {}),
        (
            "invoice",
            {
                "payment_terms": "custom",
                "payment_label": "Zahlbar in 14 Tagen, 2 % Skonto in 7 Tagen",
                "payment_days": "14",
                "skonto_percentage": "2",
                "skonto_days": "7",
            },
        ),
        ("creditnote", {}),
    ],
)
def test_every_type_is_created_through_the_editor(
    client_for,
    bob,
    connected,
    customer,
    sim,
    voucher_type,
    extra,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_for(bob)
    url = f"/o/alpha/documents/new/{voucher_type}/"
    data = {
        **invoice_data(client),
        "idempotency_key": token(client.get(url).content.decode()),
        "contact_id": str(customer.lexware_id),
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    op = Operation.objects.get(kind=f"{voucher_type}.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    document = Document.objects.get(lexware_id=op.target_id)
    assert document.voucher_type == voucher_type and document.status == "draft"
    assert str(document.contact_lexware_id) == str(customer.lexware_id)
    if voucher_type == "invoice":
        assert document.raw["paymentConditions"]["paymentDiscountConditions"] == {
            "discountPercentage": 2,
            "discountRange": 7,
        }


def test_finalize_asks_first_and_then_creates_a_numbered_invoice(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = {**invoice_data(client), "contact_id": str(customer.lexware_id), "action": "finalize"}
    html = client.post(NEW, data).content.decode()
    assert 'id="check-ok"' in html and "Total amount" in html
    assert not Operation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**data, "action": "finalize-confirmed"})
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.SUCCEEDED and op.input["finalize"] is True
    document = Document.objects.get(lexware_id=op.target_id)
    assert document.status == "open" and document.voucher_number.startswith("RE")
