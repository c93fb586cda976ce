"""Never twice (issue 11 item 6, reliability.md R11/R12): an ambiguous create is adopted only
after the candidate from the voucherlist has been read and compared with what was sent, and a
form submitted twice starts one operation and makes one document.

In-process simulator; the reconciler is called by hand so that Lexware can change in between.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from lexware.simulator.faults import Fault
from portal.operations import runner
from portal.operations.clients import client_for_key
from portal.operations.models import Operation, OperationState
from portal.sales.handlers import same_document
from tests.portal.sales.conftest import KEY
from tests.portal.sales.test_rules import NEW, _posts, invoice_data


@pytest.fixture
def reconciles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Reconciliations are collected instead of run (the test runs them)."""
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue_reconcile", lambda pk, **kw: queued.append(pk)
    )
    return queued


def _impostor(body: dict[str, Any], **changes: Any) -> str:
    """Someone else writes an invoice in Lexware: same customer, date and total as ours."""
    other = {**body, **changes}
    return str(client_for_key(KEY).invoices.create(other).id)


def _run(op: Operation) -> Operation:
    for _ in range(5):
        op.refresh_from_db()
        if op.state in (OperationState.SUCCEEDED, OperationState.FAILED):
            break
        Operation.objects.filter(pk=op.pk).update(not_before=None)
        runner.execute(op.pk)
    op.refresh_from_db()
    return op


def test_a_look_alike_with_the_same_total_is_not_adopted(
    client_for, bob, connected, sim, no_follow_up, reconciles, django_capture_on_commit_callbacks
) -> None:
    """504 after Lexware made our invoice; before the reconciler looks, someone else writes an
    invoice to the same name with the same total but other lines (newer, so listed first).
    The reconciler reads it, sees it is not what was sent, and adopts ours."""
    sim.faults.add(KEY, Fault("504", count=1, method="POST", path_prefix="/v1/invoices"))
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, invoice_data(client))
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.UNKNOWN and reconciles == [op.pk]
    sent = op.input["document"]
    # Two lines of 10.00 → one line of 20.00: the same total, another document.
    one_line = {**sent["lineItems"][0], "name": "Pauschale"}
    one_line["unitPrice"] = {**one_line["unitPrice"], "netAmount": 20}
    impostor = _impostor(sent, lineItems=[one_line])
    [ours] = [p for p in _posts(since) if p["status"] == 504]

    with django_capture_on_commit_callbacks(execute=True):
        runner.reconcile(op.pk)
    op = _run(op)
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.reconciliation)
    assert op.target_id != impostor
    stored = client_for_key(KEY).invoices.get(op.target_id)
    assert [item.name for item in stored.line_items] == ["Position 1", "Position 2"]
    assert len([p for p in _posts(since) if p["status"] in (201, 504)]) == 2  # ours + impostor
    assert ours["method"] == "POST"


def test_when_only_look_alikes_exist_nothing_is_adopted_and_nothing_resent(
    client_for, bob, connected, sim, no_follow_up, reconciles, django_capture_on_commit_callbacks
) -> None:
    """The connection closes without an answer (the simulator's `drop`: Lexware did not make
    it, but the portal cannot know). The voucherlist holds only a look-alike: after its checks
    the operation fails visibly, keeps its input, and no second POST is made."""
    client = client_for(bob)
    data = invoice_data(client)
    since = time.time()
    sim.faults.add(KEY, Fault("drop", count=1, method="POST", path_prefix="/v1/invoices"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, data)
    op = Operation.objects.get(kind="invoice.create")
    if op.state != OperationState.UNKNOWN:
        pytest.fail(f"a dropped connection on the POST must leave the create unknown: {op.state}")
    sent = op.input["document"]
    one_line = {**sent["lineItems"][0], "name": "Pauschale"}
    one_line["unitPrice"] = {**one_line["unitPrice"], "netAmount": 20}
    _impostor(sent, lineItems=[one_line])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            runner.reconcile(op.pk)
    op.refresh_from_db()
    assert op.state == OperationState.FAILED, (op.state, op.reconciliation)
    assert op.target_id == ""
    assert op.input["document"] == sent
    assert len([p for p in _posts(since) if p["status"] == 201]) == 1  # the impostor only


def test_the_form_submitted_twice_makes_one_document(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = invoice_data(client)
    since = time.time()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(NEW, data)
        assert response.status_code in (200, 302), response.status_code
    [op] = Operation.objects.filter(kind="invoice.create")
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(_posts(since)) == 1


def test_same_document_compares_what_was_sent_with_what_is_stored() -> None:
    sent = {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "address": {"name": "Einmal GmbH", "countryCode": "DE"},
        "taxConditions": {"taxType": "gross"},
        "lineItems": [
            {
                "type": "custom",
                "name": "Montage",
                "quantity": 2.5,
                "unitName": "Std.",
                "unitPrice": {"currency": "EUR", "grossAmount": 77.35, "taxRatePercentage": 19},
                "discountPercentage": 5,
            },
            {"type": "text", "name": "Hinweis", "description": "November"},
        ],
    }
    stored = {
        **sent,
        "id": "x",
        "voucherNumber": "RE0001",
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "lineItems": [
            {
                **sent["lineItems"][0],
                "quantity": 2.50,
                "unitPrice": {"grossAmount": 77.35, "netAmount": 65.0, "taxRatePercentage": 19.0},
                "lineItemAmount": 183.7,
            },
            sent["lineItems"][1],
        ],
    }
    assert same_document(sent, stored)
    assert same_document(sent, {**stored, "title": "Rechnung"})  # the organization's default
    assert not same_document({**sent, "title": "Abschlag"}, {**stored, "title": "Rechnung"})
    changed_price = {
        **stored,
        "lineItems": [
            {
                **stored["lineItems"][0],
                "unitPrice": {"grossAmount": 77.36, "taxRatePercentage": 19},
            },
            stored["lineItems"][1],
        ],
    }
    assert not same_document(sent, changed_price)
    assert not same_document(sent, {**stored, "lineItems": stored["lineItems"][:1]})
    assert not same_document(sent, {**stored, "address": {"name": "Andere GmbH"}})
    assert not same_document(sent, {**stored, "voucherDate": "2026-11-03T00:00:00.000+01:00"})
    assert not same_document(sent, {**stored, "taxConditions": {"taxType": "net"}})
    assert not same_document(
        {**sent, "address": {"contactId": "c-1"}}, {**stored, "address": {"contactId": "c-2"}}
    )


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_the_same_moment_make_one_document(
    client_for, bob, connected, sim
) -> None:
    """R12 with a race: two requests with the same form token at once, each in its own thread
    and database connection; the unique token lets one operation through, the other request
    shows it."""
    import threading

    from django.db import connection

    first, second = client_for(bob), client_for(bob)
    data = invoice_data(first)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit(client: Any) -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(NEW, data).status_code)
        finally:
            connection.close()

    since = time.time()
    threads = [threading.Thread(target=submit, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [302, 302], statuses
    [op] = Operation.objects.filter(kind="invoice.create")
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(_posts(since)) == 1
