"""Documents out through real processes (issue 12): a Celery worker fetches a finalized
invoice's PDF (and an XRechnung's XML) from the simulator over HTTP, through the Redis rate
limiter, after the mirror learnt of the document; staff and the customer link are served from
storage without a Lexware call (reliability.md L10); a 503 spell during the fetch is retried
while the customer page says "being prepared"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lexware import key_fingerprint
from portal.accounts.models import User
from portal.core import crypto
from portal.documents.models import Document
from portal.documents.services import document_fetch
from portal.files.models import DocumentFile
from portal.files.services import FILES_FETCH
from portal.operations.models import Operation, OperationState
from portal.organizations.models import (
    ConnectionStatus,
    LexwareConnection,
    Membership,
    Organization,
    Role,
)
from portal.sharing.services import share_link_create
from tests.reliability.checks import finished
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

KEY = "documents-out-reliability-key-01"


def _setup(simulator: Any, *, e_invoice: bool = False) -> tuple[Organization, User, str]:
    owner = User.objects.create_user("owner@files.example", "pw-files-123456")
    organization = Organization.objects.create(name="Files GmbH", slug="files")
    Membership.objects.create(user=owner, organization=organization, role=Role.OWNER)
    LexwareConnection.objects.create(
        organization=organization,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
        company_name="Files GmbH",
    )
    contact: dict[str, Any] = {
        "version": 0,
        "roles": {"customer": {}},
        "company": {"name": "Hafenkontor Sommer GmbH"},
        "addresses": {
            "billing": [
                {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
            ]
        },
    }
    if e_invoice:
        contact["xRechnung"] = {
            "buyerReference": "04011000-1234512345-06",
            "vendorNumberAtCustomer": "K-4711",
        }
    contact_id = simulator.api("POST", "contacts", KEY, json=contact).json()["id"]
    body = {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "address": {"contactId": contact_id},
        "lineItems": [
            {
                "type": "custom",
                "name": "Wartung",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "netAmount": 100.0, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {"shippingType": "none"},
    }
    response = simulator.api("POST", "invoices", KEY, json=body, params={"finalize": "true"})
    assert response.status_code == 201, response.text
    return organization, owner, response.json()["id"]


def _mirror_learns_of(organization: Organization, owner: User, lexware_id: str) -> Document:
    """The document arrives as a webhook's refresh would bring it: the worker fetches it."""
    document = Document.objects.create(
        organization=organization, lexware_id=lexware_id, voucher_type="invoice", status="open"
    )
    document_fetch(organization=organization, document=document, user=owner)
    return document


def _file_requests(simulator: Any) -> list[dict[str, Any]]:
    return [r for r in simulator.requests(KEY) if str(r.get("path", "")).endswith("/file")]


def test_a_worker_fetches_the_pdf_after_the_mirror_learns_of_the_invoice(
    simulator: Any, real_broker: str, start_worker: Any
) -> None:
    start_worker(broker=real_broker, concurrency=2, FILES_FETCH_ON_CHANGE="true")
    organization, owner, lexware_id = _setup(simulator, e_invoice=True)
    document = _mirror_learns_of(organization, owner, lexware_id)
    stored = wait_until(
        lambda: DocumentFile.objects.filter(document=document).count() == 2,
        timeout=60,
        what="the PDF and the XML to be stored",
    )
    assert stored
    # The files are committed before the operation is marked done: wait for that too.
    operation = finished(Operation.objects.get(kind=FILES_FETCH))
    assert operation.state == OperationState.SUCCEEDED and operation.lane == "bulk"
    assert len(_file_requests(simulator)) == 2  # one PDF, one XML: nothing twice

    # Staff and the customer are served from storage: no further Lexware call (L10).
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    pdf = DocumentFile.objects.get(document=document, kind="pdf")
    response = client.get(reverse("files:download", kwargs={"org_slug": "files", "code": pdf.code}))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    document.refresh_from_db()
    _, token = share_link_create(
        organization=organization,
        document=document,
        user=owner,
        expires_at=timezone.now() + timedelta(days=3),
    )
    customer = Client()
    assert customer.get(f"/s/{token}/", follow=True).status_code == 200
    assert b"".join(customer.get(f"/s/{token}/pdf/", follow=True).streaming_content).startswith(
        b"%PDF"
    )
    assert b"<Invoice" in b"".join(customer.get(f"/s/{token}/xml/", follow=True).streaming_content)
    assert len(_file_requests(simulator)) == 2


def test_a_503_spell_during_the_fetch_is_retried_while_the_customer_waits(
    simulator: Any, real_broker: str, start_worker: Any
) -> None:
    start_worker(broker=real_broker, concurrency=2)
    organization, owner, lexware_id = _setup(simulator)
    document = Document.objects.create(
        organization=organization, lexware_id=lexware_id, voucher_type="invoice", status="open"
    )
    _, token = share_link_create(
        organization=organization,
        document=document,
        user=owner,
        expires_at=timezone.now() + timedelta(days=3),
    )
    simulator.fault(KEY, "503", count=30, pathPrefix=f"/v1/invoices/{lexware_id}/file")
    customer = Client()
    page = customer.get(f"/s/{token}/", follow=True)  # starts the fetch on the interactive lane
    assert page.status_code == 200 and 'http-equiv="refresh"' in page.content.decode()
    wait_until(
        lambda: Operation.objects.filter(kind=FILES_FETCH, attempts__gte=1).exists(),
        timeout=30,
        what="the first attempt",
    )
    pdf = customer.get(f"/s/{token}/pdf/", follow=True)
    assert pdf.status_code == 503 and pdf["Retry-After"]
    simulator.control("DELETE", "faults", params={"apiKey": KEY})
    wait_until(
        lambda: DocumentFile.objects.filter(document=document, kind="pdf").exists(),
        timeout=90,
        what="the retried fetch to store the PDF",
    )
    assert (
        Operation.objects.filter(kind=FILES_FETCH).count() == 1
    )  # the customer's reloads joined it
    assert customer.get(f"/s/{token}/pdf/", follow=True).status_code == 200
