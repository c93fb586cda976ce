"""A dunning run whose worker is SIGKILLed mid-run (issue 14, reliability.md R4 for a run):
the dunning in flight is settled as unknown and adopted by the reconciler (the invoice's
relatedVouchers), the rest are done by the replacement worker; every invoice ends with
exactly one dunning, and no POST is sent twice."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from portal.documents.mirror import apply_document_details
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from portal.receivables import dunning
from portal.receivables.services import DUNNING_CREATE, dunning_run_start
from tests.reliability.checks import lease_over, state
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

INVOICES = 4


def _overdue_invoice(simulator: Any, api_key: str, name: str) -> dict[str, Any]:
    contact = simulator.api(
        "POST",
        "contacts",
        api_key,
        json={
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": name},
            "addresses": {"billing": [{"city": "Köln", "zip": "50667", "countryCode": "DE"}]},
        },
    ).json()
    when = (timezone.localtime() - timedelta(days=45)).isoformat(timespec="milliseconds")
    created = simulator.api(
        "POST",
        "invoices?finalize=true",
        api_key,
        json={
            "voucherDate": when,
            "address": {"contactId": contact["id"]},
            "lineItems": [
                {
                    "type": "custom",
                    "name": "Reparatur",
                    "quantity": 1,
                    "unitName": "Stück",
                    "unitPrice": {"currency": "EUR", "netAmount": 250, "taxRatePercentage": 19},
                }
            ],
            "totalPrice": {"currency": "EUR"},
            "taxConditions": {"taxType": "net"},
            "shippingConditions": {"shippingType": "service", "shippingDate": when},
            "paymentConditions": {"paymentTermLabel": "14 Tage", "paymentTermDuration": 14},
        },
    ).json()
    return simulator.api("GET", f"invoices/{created['id']}", api_key).json()


def _dunnings(simulator: Any, api_key: str, invoice_id: str) -> list[dict[str, Any]]:
    invoice = simulator.api("GET", f"invoices/{invoice_id}", api_key).json()
    return [r for r in invoice.get("relatedVouchers") or [] if r.get("voucherType") == "dunning"]


def test_a_killed_worker_mid_run_leaves_exactly_one_dunning_per_invoice(
    connected_org, simulator, real_broker, start_worker
) -> None:
    organization, api_key = connected_org
    invoice_ids = []
    for index in range(INVOICES):
        details = _overdue_invoice(simulator, api_key, f"Säumig {index} GmbH")
        apply_document_details(organization=organization, voucher_type="invoice", data=details)
        invoice_ids.append(details["id"])
    chosen = [
        c.as_input()
        for g in dunning.dunning_candidates(organization=organization)
        for c in g.invoices
    ]
    assert sorted(c["lexware_id"] for c in chosen) == sorted(invoice_ids)

    # The first dunning POST is slow: the worker dies while it is in flight.
    simulator.fault(api_key, "slow", count=1, method="POST", pathPrefix="/v1/dunnings", delay=3)
    doomed = start_worker(broker=real_broker)
    run, _skipped = dunning_run_start(organization=organization, user=None, invoices=chosen)
    operations = Operation.objects.filter(organization=organization, kind=DUNNING_CREATE)
    wait_until(
        lambda: operations.filter(state=OperationState.RUNNING).exists(),
        timeout=30,
        what="a dunning to be under way",
    )
    in_flight = operations.get(state=OperationState.RUNNING)
    time.sleep(1.0)  # inside the simulator's delay: the POST is in flight
    doomed.kill_child()
    doomed.stop(signal.SIGKILL)

    start_worker(broker=real_broker)  # the replacement host
    wait_until(lambda: lease_over(in_flight), timeout=40, what="the dead worker's lease to end")
    runner.sweep()
    wait_until(
        lambda: all(
            state(op) in (OperationState.SUCCEEDED, OperationState.FAILED) for op in operations
        ),
        timeout=90,
        what="every dunning of the run to finish",
    )

    for op in operations:
        op.refresh_from_db()
        assert op.state == OperationState.SUCCEEDED, (op.input["invoice_id"], op.error_message)
    for invoice_id in invoice_ids:
        assert len(_dunnings(simulator, api_key, invoice_id)) == 1, invoice_id
    posts = [
        r
        for r in simulator.requests(api_key)
        if r["method"] == "POST" and r["path"].startswith("/v1/dunnings")
    ]
    assert len(posts) == INVOICES
    assert run.invoice_count == INVOICES
