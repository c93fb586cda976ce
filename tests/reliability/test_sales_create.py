"""Invoices from the editor with real processes (issue 11 items 6 and 7; reliability.md R3,
R11, R12): a real Celery worker over Redis sends each create to the simulator over HTTP.

* SIGKILL mid-create, ten times: the worker's pool process dies while the POST is in flight
  (the simulator holds it open, then makes the invoice anyway). The operation's lease ends, the
  sweeper marks it unknown, the reconciler finds the invoice in the voucherlist and adopts it.
* 504 after processing, the form submitted twice: one operation, one POST, adopted.

Each time the simulator's request log must show exactly one POST per invoice and its
voucherlist exactly one invoice per customer; every operation ends succeeded with the number
(none lost, none twice)."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from portal.accounts.models import User
from portal.documents.models import Document
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Membership, Organization, Role
from portal.sales import services
from portal.sales.forms import DocumentForm
from portal.sales.types import sales_type
from tests.reliability.checks import finished, lease_over, posts, state
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

KILLS = 10


def _fields(name: str, price: str) -> dict[str, str]:
    """What the editor posts (German number format) for an invoice to a one-time address."""
    today = time.strftime("%Y-%m-%d")
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "address_name": name,
        "address_street": "Hafenweg 3",
        "address_zip": "20457",
        "address_city": "Hamburg",
        "address_country": "DE",
        "voucher_date": today,
        "tax_type": "net",
        "shipping_type": "delivery",
        "shipping_date": today,
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
    }
    rows = [
        ("Montage", "2", "Std.", price, "19", "5"),
        ("Fachbuch", "1", "Stück", "8,32", "7", ""),
    ]
    for index, (item, quantity, unit, unit_price, rate, discount) in enumerate(rows):
        data.update(
            {
                f"lines-{index}-type": "custom",
                f"lines-{index}-name": item,
                f"lines-{index}-quantity": quantity,
                f"lines-{index}-unit_name": unit,
                f"lines-{index}-unit_price": unit_price,
                f"lines-{index}-tax_rate": rate,
                f"lines-{index}-discount": discount,
            }
        )
    return data


def _submit(organization: Organization, name: str, price: str) -> Operation:
    invoice = sales_type("invoice")
    with translation.override("de"):
        form = DocumentForm(_fields(name, price), sales_type=invoice, organization=organization)
        assert form.is_valid(), (form.errors, form.lines.errors)
        return services.document_create(
            organization=organization,
            user=None,
            sales_type=invoice,
            data=form.to_lexware(),
            finalize=True,
            idempotency_key=form.key,
        )


def _invoices_named(simulator: Any, api_key: str, name: str) -> list[dict[str, Any]]:
    response = simulator.api(
        "GET",
        "voucherlist",
        api_key,
        params={"voucherType": "invoice", "voucherStatus": "any", "size": 250},
    )
    response.raise_for_status()
    return [v for v in response.json()["content"] if v.get("contactName") == name]


def _numbered(op: Operation) -> Document:
    document = Document.objects.get(organization=op.organization, lexware_id=op.target_id)
    assert document.voucher_number, document.raw
    return document


def test_r3_a_worker_killed_mid_create_ten_times_makes_each_invoice_once(
    connected_org, simulator, real_broker, start_worker
) -> None:
    organization, api_key = connected_org
    worker = start_worker(broker=real_broker)
    operations: list[tuple[Operation, str]] = []
    for attempt in range(KILLS):
        name = f"Abgestürzt {attempt} GmbH"
        simulator.fault(api_key, "slow", count=1, method="POST", pathPrefix="/v1/invoices", delay=3)
        op = _submit(organization, name, f"{60 + attempt},00")
        wait_until(
            lambda op=op: Operation.objects.filter(pk=op.pk, sending_at__isnull=False).exists(),
            timeout=60,
            what=lambda op=op: f"the create to be sent ({state(op)}, {op.error_message})",
        )
        time.sleep(1.0)  # inside the simulator's 3 s delay: the POST is in flight
        assert state(op) == OperationState.RUNNING
        worker.kill_child()  # prefork replaces the pool process; the message comes back
        wait_until(lambda op=op: lease_over(op), timeout=40, what="the dead attempt's lease")
        runner.sweep()
        try:
            op = finished(op, timeout=90)
        except AssertionError:
            op.refresh_from_db()
            raise AssertionError({f.name: getattr(op, f.name) for f in op._meta.fields}) from None
        assert op.state == OperationState.SUCCEEDED, (attempt, op.error_message)
        assert op.reconciliation.get("found") == op.target_id, op.reconciliation
        operations.append((op, name))

    assert len(posts(simulator, api_key, "/v1/invoices")) == KILLS
    for op, name in operations:
        [listed] = _invoices_named(simulator, api_key, name)
        assert listed["id"] == op.target_id
        assert _numbered(op).voucher_number == listed["voucherNumber"]


def _member(organization: Organization) -> Client:
    user = User.objects.create_user(
        f"{uuid.uuid4().hex[:8]}@member.example", "pw-123456-abc", language="de"
    )
    Membership.objects.create(user=user, organization=organization, role=Role.MEMBER)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_r11_r12_a_504_after_processing_and_a_double_submit_make_one_invoice(
    connected_org, simulator, real_broker, start_worker
) -> None:
    organization, api_key = connected_org
    simulator.fault(api_key, "504", count=1, method="POST", pathPrefix="/v1/invoices")
    start_worker(broker=real_broker)
    client = _member(organization)
    url = f"/o/{organization.slug}/documents/new/invoice/"
    html = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert key, html[:2000]
    name = "Doppelklick GmbH"
    data = {
        **_fields(name, "75,50"),
        "idempotency_key": key.group(1),
        "action": "finalize-confirmed",
    }
    for _ in range(2):
        response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.content[:2000]
    [op] = Operation.objects.filter(organization=organization, kind="invoice.create")
    op = finished(op, timeout=90)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.result.get("adopted") is True, op.result
    assert len(posts(simulator, api_key, "/v1/invoices")) == 1
    [listed] = _invoices_named(simulator, api_key, name)
    assert listed["id"] == op.target_id
    _numbered(op)
