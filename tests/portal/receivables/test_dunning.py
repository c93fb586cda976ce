"""Dunning run through the write path against the in-process simulator (§5.10): one dunning
per chosen invoice, pursued from it and kept a draft; never twice for one invoice and level."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lexware import key_fingerprint
from portal.core import crypto
from portal.documents.fetch import refresh_document
from portal.operations.clients import client_for_key
from portal.operations.models import Operation, OperationState
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization
from portal.receivables import dunning, services
from portal.receivables.models import DunningRun, ReceivablesSettings

pytestmark = pytest.mark.django_db

KEY = "receivables-dunning-test-key-0000"


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


def _invoice(client: Any, contact_id: str, days_ago: int) -> str:
    when = timezone.localtime() - timedelta(days=days_ago)
    body = {
        "voucherDate": when.isoformat(timespec="milliseconds"),
        "address": {"contactId": contact_id},
        "lineItems": [
            {
                "type": "custom",
                "name": "Wartung",
                "quantity": 2,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 80, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {
            "shippingType": "service",
            "shippingDate": when.isoformat(timespec="milliseconds"),
        },
        "paymentConditions": {"paymentTermLabel": "14 Tage", "paymentTermDuration": 14},
    }
    return str(client.invoices.create(body, finalize=True).id)


@pytest.fixture
def overdue_invoices(org_a: Organization, connected: LexwareConnection) -> list[str]:
    client = client_for_key(KEY)
    ids = []
    for name, days_ago in (("Kunde Eins GmbH", 40), ("Kunde Zwei KG", 60)):
        contact = client.contacts.create(
            {
                "version": 0,
                "roles": {"customer": {}},
                "company": {"name": name},
                "addresses": {
                    "billing": [
                        {
                            "street": "Hafenweg 3",
                            "zip": "20457",
                            "city": "Hamburg",
                            "countryCode": "DE",
                        }
                    ]
                },
            }
        )
        invoice_id = _invoice(client, str(contact.id), days_ago)
        refresh_document(
            client=client, organization=org_a, lexware_id=invoice_id, voucher_type="invoice"
        )
        ids.append(invoice_id)
    return ids


def _dunnings_in_lexware(invoice_id: str) -> list[dict[str, Any]]:
    invoice = client_for_key(KEY).invoices.get(invoice_id).to_api()
    return [r for r in invoice.get("relatedVouchers") or [] if r.get("voucherType") == "dunning"]


def test_a_run_creates_one_draft_dunning_per_invoice_once(
    client_for: Any,
    bob: Any,
    org_a: Organization,
    overdue_invoices: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(bob)
    page = client.get(reverse("receivables:dunning", kwargs={"org_slug": "alpha"}))
    html = page.content.decode()
    assert page.status_code == 200 and "Kunde Eins GmbH" in html and "Kunde Zwei KG" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("receivables:dunning_start", kwargs={"org_slug": "alpha"}), {"all": "1"}
        )
    run = DunningRun.objects.get(organization=org_a)
    assert response["Location"].endswith(f"/dunning/runs/{run.code}/")
    operations = Operation.objects.filter(organization=org_a, kind=services.DUNNING_CREATE)
    assert [op.state for op in operations] == [OperationState.SUCCEEDED] * 2
    for invoice_id in overdue_invoices:
        (related,) = _dunnings_in_lexware(invoice_id)
        dunning_doc = client_for_key(KEY).dunnings.get(related["id"]).to_api()
        assert dunning_doc["voucherStatus"] == "draft"
    progress = client.get(response["Location"]).content.decode()
    assert "2 of 2 dunnings created" in progress
    # Dunned today: not offered again within the organization's interval.
    assert dunning.dunning_candidates(organization=org_a) == []
    with_recent = dunning.dunning_candidates(organization=org_a, include_recent=True)
    assert {c.level for g in with_recent for c in g.invoices} == {1}
    # The same invoice and level again (a second tab, a double click): nothing new is sent.
    invoices = [c.as_input() | {"level": 0} for g in with_recent for c in g.invoices]
    with django_capture_on_commit_callbacks(execute=True):
        _run, skipped = services.dunning_run_start(organization=org_a, user=bob, invoices=invoices)
    assert skipped == 2
    assert all(len(_dunnings_in_lexware(i)) == 1 for i in overdue_invoices)


def test_the_interval_is_per_organization(
    org_a: Organization,
    overdue_invoices: list[str],
    bob: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    groups = dunning.dunning_candidates(organization=org_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.dunning_run_start(
            organization=org_a, user=bob, invoices=[groups[0].invoices[0].as_input()]
        )
    assert sum(len(g.invoices) for g in dunning.dunning_candidates(organization=org_a)) == 1
    later = timezone.localdate() + timedelta(days=14)
    assert (
        sum(len(g.invoices) for g in dunning.dunning_candidates(organization=org_a, today=later))
        == 2
    )
    ReceivablesSettings.objects.create(organization=org_a, dunning_interval_days=30)
    assert (
        sum(len(g.invoices) for g in dunning.dunning_candidates(organization=org_a, today=later))
        == 1
    )


def test_viewers_see_no_dunning_button_and_get_403(client_for: Any, carol: Any) -> None:
    client = client_for(carol)
    html = client.get(
        reverse("receivables:overview", kwargs={"org_slug": "alpha"})
    ).content.decode()
    assert "/receivables/dunning/" not in html
    assert (
        client.get(reverse("receivables:dunning", kwargs={"org_slug": "alpha"})).status_code == 403
    )
    assert (
        client.post(
            reverse("receivables:dunning_start", kwargs={"org_slug": "alpha"}), {"all": "1"}
        ).status_code
        == 403
    )


def test_payments_fetch_fills_the_payments_mirror(
    client_for: Any,
    bob: Any,
    org_a: Organization,
    overdue_invoices: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from portal.documents.models import Document, Payment

    contact = Document.objects.get(
        organization=org_a, lexware_id=overdue_invoices[0]
    ).contact_lexware_id
    Payment.objects.filter(organization=org_a).delete()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(bob).post(
            reverse("receivables:payments_fetch", kwargs={"org_slug": "alpha"}),
            {"contact": str(contact), "next": f"/o/alpha/contacts/{contact}/"},
        )
    payment = Payment.objects.get(organization=org_a, lexware_id=overdue_invoices[0])
    assert payment.open_amount is not None and payment.open_amount > 0
