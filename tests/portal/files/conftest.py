"""Documents in the in-process simulator, mirrored into org A, for the files and sharing tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lexware import key_fingerprint
from portal.contacts.mirror import upsert_contact
from portal.core import crypto
from portal.core.mirror import api_dict
from portal.documents.fetch import fetch_document
from portal.documents.models import Document
from portal.operations.clients import client_for_key
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "documents-out-test-key-000000000"
LEITWEG_ID = "04011000-1234512345-06"


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
        company_name="Demo Werkstatt GmbH",
    )


@pytest.fixture
def lexware(connected: LexwareConnection) -> Iterator[Any]:
    """A client of the in-process simulator for org A's key (no limiter in tests)."""
    with client_for_key(KEY) as client:
        yield client


def _contact(lexware: Any, *, e_invoice: bool) -> str:
    body: dict[str, Any] = {
        "version": 0,
        "roles": {"customer": {}},
        "company": {"name": "Hafenkontor Sommer GmbH"},
        "addresses": {
            "billing": [
                {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
            ]
        },
        "emailAddresses": {"business": ["rechnung@hafenkontor.example"]},
    }
    if e_invoice:
        body["xRechnung"] = {"buyerReference": LEITWEG_ID, "vendorNumberAtCustomer": "K-4711"}
    return str(lexware.contacts.create(body).id)


def invoice_body(contact_id: str) -> dict[str, Any]:
    return {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "address": {"contactId": contact_id},
        "lineItems": [
            {
                "type": "custom",
                "name": "Wartung Hebebühne",
                "quantity": 2,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 85.0, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "paymentConditions": {"paymentTermLabel": "Zahlbar in 14 Tagen", "paymentTermDuration": 14},
        "shippingConditions": {
            "shippingType": "service",
            "shippingDate": "2026-11-02T00:00:00.000+01:00",
        },
        "title": "Rechnung",
    }


def make_invoice(
    lexware: Any, organization: Organization, *, finalize: bool = True, e_invoice: bool = False
) -> Document:
    """An invoice made in Lexware (the simulator) and fetched into the mirror."""
    contact_id = _contact(lexware, e_invoice=e_invoice)
    upsert_contact(organization=organization, data=api_dict(lexware.contacts.get(contact_id)))
    created = lexware.invoices.create(invoice_body(contact_id), finalize=finalize)
    document = fetch_document(
        client=lexware,
        organization=organization,
        voucher_type="invoice",
        lexware_id=str(created.id),
    )
    assert document is not None
    return document


@pytest.fixture
def invoice(lexware: Any, org_a: Organization) -> Document:
    return make_invoice(lexware, org_a)


@pytest.fixture
def no_follow_up(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Retries are not run inline (eager Celery would run them at once): the test runs the
    next attempt itself, as a worker would later."""
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    return queued
