"""The write path's promise (DESIGN.md §7): a write kind sends at most one request that may
change Lexware, whatever fails after it. In-process simulator and SQLite are enough: these
run on a laptop without PostgreSQL or Redis."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.articles.services import CREATE as ARTICLE_CREATE
from portal.articles.services import UPDATE as ARTICLE_UPDATE
from portal.console.services import CONSOLE_CALL
from portal.contacts.services import CREATE as CONTACT_CREATE
from portal.contacts.services import UPDATE as CONTACT_UPDATE
from portal.contacts.services import contact_create
from portal.core import crypto
from portal.operations import runner
from portal.operations.clients import client_for_connection, in_process_simulator
from portal.operations.edits import edit_input
from portal.operations.models import Operation, OperationState
from portal.operations.registry import KINDS
from portal.organizations.models import ConnectionStatus, LexwareConnection
from portal.receivables.services import DUNNING_CREATE

KEY = "write-path-test-key-000000000000"
ROOT = Path(__file__).resolve().parents[3]


def _existing_article(connection: LexwareConnection) -> dict[str, Any]:
    """An article made in Lexware and mirrored, and an edit's input for it."""
    from portal.articles.mirror import upsert_article
    from portal.core.mirror import api_dict

    with client_for_connection(connection) as client:
        made = client.articles.create(
            {
                "title": "Vorher",
                "type": "PRODUCT",
                "unitName": "Stück",
                "note": "bleibt",
                "price": {"netPrice": 2.5, "leadingPrice": "NET", "taxRate": 7},
            }
        )
        data = api_dict(client.articles.get(str(made.id)))
    upsert_article(organization=connection.organization, data=data)
    return edit_input(
        lexware_id=str(made.id),
        base_version=int(data["version"]),
        data={"title": "Nachher"},
        base_record=data,
        input_key="article",
    )


def _existing_contact(connection: LexwareConnection) -> dict[str, Any]:
    """An edit needs a record: a contact made in Lexware and mirrored, and the edit's input."""
    from portal.contacts.mirror import upsert_contact
    from portal.core.mirror import api_dict

    with client_for_connection(connection) as client:
        made = client.contacts.create(
            {"roles": {"customer": {}}, "company": {"name": "Vorher GmbH", "taxNumber": "1/2/3"}}
        )
        data = api_dict(client.contacts.get(str(made.id)))
    upsert_contact(organization=connection.organization, data=data)
    return edit_input(
        lexware_id=str(made.id),
        base_version=int(data["version"]),
        data={"company": {"name": "Nachher GmbH"}},
        base_record=data,
        input_key="contact",
    )


def _dunning_sample(connection: LexwareConnection) -> dict[str, Any]:
    """A dunning needs an open invoice in Lexware (§5.10): made here, before the write."""
    from portal.receivables.bodies import dunning_body

    when = (timezone.localtime() - timedelta(days=30)).isoformat(timespec="milliseconds")
    with client_for_connection(connection) as client:
        contact = client.contacts.create(
            {
                "version": 0,
                "roles": {"customer": {}},
                "company": {"name": "Mahnbar GmbH"},
                "addresses": {"billing": [{"city": "Köln", "zip": "50667", "countryCode": "DE"}]},
            }
        )
        item = {
            "type": "custom",
            "name": "Wartung",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "netAmount": 100, "taxRatePercentage": 19},
        }
        invoice = client.invoices.create(
            {
                "voucherDate": when,
                "address": {"contactId": str(contact.id)},
                "lineItems": [item],
                "totalPrice": {"currency": "EUR"},
                "taxConditions": {"taxType": "net"},
                "shippingConditions": {"shippingType": "service", "shippingDate": when},
            },
            finalize=True,
        )
        details = client.invoices.get(str(invoice.id)).to_api()
    day = timezone.localdate().isoformat()
    return {
        "invoice_id": str(invoice.id),
        "level": 1,
        "voucher_date": day,
        "known_dunnings": [],
        "body": dunning_body(details, level=1, voucher_date=day),
    }


def _receipt_row(connection: LexwareConnection, label: str, **fields: Any) -> Any:
    from portal.bookkeeping.models import Receipt
    from portal.bookkeeping.services import checksum

    content = f"%PDF-1.4\n% {label}\n%%EOF\n".encode()
    return Receipt.objects.create(
        organization=connection.organization,
        sha256=checksum(content),
        filename=f"{label}.pdf",
        media_type="application/pdf",
        size=len(content),
        content=content,
        **fields,
    )


def _receipt_upload(connection: LexwareConnection) -> dict[str, Any]:
    return {"receipt": _receipt_row(connection, "einmal-beleg").pk, "filename": "einmal-beleg.pdf"}


_VOUCHER = {
    "type": "purchaseinvoice",
    "voucherStatus": "open",
    "voucherNumber": "EIN-B-1",
    "voucherDate": "2026-11-02",
    "taxType": "gross",
    "useCollectiveContact": True,
    "totalGrossAmount": 119.0,
    "totalTaxAmount": 19.0,
    "voucherItems": [
        {
            "amount": 119.0,
            "taxAmount": 19.0,
            "taxRatePercent": 19,
            "categoryId": "16d04a28-fd91-11e1-a21f-0800200c9a66",
        }
    ],
}


def _existing_voucher(connection: LexwareConnection) -> tuple[str, dict[str, Any]]:
    from portal.bookkeeping.services import EDIT

    with client_for_connection(connection) as client:
        made = client.vouchers.create({**_VOUCHER, "voucherNumber": "VORHER-1"})
        data = client.vouchers.get_raw(str(made.id))
    EDIT.upsert(connection.organization, data)
    return str(made.id), data


def _voucher_update(connection: LexwareConnection) -> dict[str, Any]:
    voucher_id, data = _existing_voucher(connection)
    return edit_input(
        lexware_id=voucher_id,
        base_version=int(data["version"]),
        data={"voucherNumber": "NACHHER-1"},
        base_record=data,
        input_key="voucher",
        atomic=("voucherItems",),
    )


def _voucher_attach(connection: LexwareConnection) -> dict[str, Any]:
    voucher_id, _data = _existing_voucher(connection)
    receipt = _receipt_row(connection, "anhang", source="attach", voucher_id=voucher_id)
    return {"receipt": receipt.pk, "voucher_id": voucher_id, "known_files": []}


# One valid input per write kind (or a function of the connection that makes what the write
# needs, e.g. the record an edit changes). A new write kind without a sample fails
# test_every_write_kind_has_a_sample, so the generic tests below cover it too.
SAMPLES: dict[str, dict[str, Any] | Callable[[LexwareConnection], dict[str, Any]]] = {
    DUNNING_CREATE: _dunning_sample,
    ARTICLE_CREATE: {
        "article": {
            "title": "Einmal-Artikel",
            "type": "SERVICE",
            "unitName": "Stunde",
            "articleNumber": "EIN-1",
            "price": {"netPrice": 80.0, "leadingPrice": "NET", "taxRate": 19},
        }
    },
    CONTACT_CREATE: {
        "contact": {
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": "Einmal GmbH"},
            "emailAddresses": {"business": ["einmal@example.org"]},
        }
    },
    CONTACT_UPDATE: _existing_contact,
    ARTICLE_UPDATE: _existing_article,
    CONSOLE_CALL: {
        "method": "POST",
        "path": "/v1/contacts",
        "query": {},
        "body": {"version": 0, "roles": {"customer": {}}, "company": {"name": "Konsole GmbH"}},
    },
    "voucher.upload": _receipt_upload,
    "voucher.create": {"voucher": _VOUCHER},
    "voucher.update": _voucher_update,
    "voucher.attach": _voucher_attach,
}
# Kinds whose reconciler cannot look for what the write made (the API console sends any call
# typed by hand): a lost answer fails visibly after the checks, and is never sent again.
UNRECONCILABLE = {CONSOLE_CALL}


def _sample_operation(kind_name: str, connection: LexwareConnection, **fields: Any) -> Operation:
    sample = SAMPLES[kind_name]
    data = sample(connection) if callable(sample) else sample
    return Operation.objects.create(
        organization=connection.organization,
        kind=kind_name,
        input=data,
        target_id=str(data.get("lexware_id", "")),
        **fields,
    )


def _fail_reads_after_the_write(monkeypatch: pytest.MonkeyPatch, kind_name: str) -> None:
    """Reads fail from the moment the write was sent (an edit reads before its write)."""
    kind = KINDS[kind_name]

    def write_then_fail(op: Operation, client: Any) -> dict[str, Any]:
        outcome = kind.handler(op, client)
        _fail_reads()
        return outcome

    monkeypatch.setitem(KINDS, kind_name, dataclasses.replace(kind, handler=write_then_fail))


def _sales_document(voucher_type: str) -> dict[str, Any]:
    """A minimal document of the editor (portal/sales) to a one-time address (§5.1)."""
    day = "2026-11-02T00:00:00.000+01:00"
    body: dict[str, Any] = {
        "voucherDate": day,
        "address": {"name": "Einmal GmbH", "countryCode": "DE"},
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 3,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 10, "taxRatePercentage": 19},
            }
        ],
        "taxConditions": {"taxType": "net"},
    }
    if voucher_type != "deliverynote":
        body["totalPrice"] = {"currency": "EUR"}
    if voucher_type in ("invoice", "orderconfirmation", "deliverynote"):
        body["shippingConditions"] = {"shippingType": "delivery", "shippingDate": day}
    if voucher_type == "quotation":
        body["expirationDate"] = "2026-12-02T00:00:00.000+01:00"
    return {"document": body, "finalize": False}


for _type in ("quotation", "orderconfirmation", "deliverynote", "invoice", "creditnote"):
    SAMPLES[f"{_type}.create"] = _sales_document(_type)


@pytest.fixture
def connected(org_a: Any) -> LexwareConnection:
    in_process_simulator().reset()
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


@pytest.fixture
def no_follow_up(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Retries are not run inline: the test runs each attempt itself, as a worker would."""
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    return queued


def _writes(since: float) -> list[dict[str, Any]]:
    requests = in_process_simulator().requests_since(since, key_fingerprint(KEY))
    return [r for r in requests if r["method"] in ("POST", "PUT", "DELETE")]


def _fail_reads(count: int = 50) -> None:
    """Every GET answers 503 (not executed) until `count` are used up: more than the client's
    own retries, so the read-back fails in the runner."""
    in_process_simulator().faults.add(KEY, Fault("503", count=count, method="GET"))


def _run_again(op: Operation) -> Operation:
    """What the delayed retry task does: run the operation once its delay is over."""
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    op.refresh_from_db()
    return op


def test_a_failed_read_back_never_sends_the_create_again(connected, no_follow_up, settings) -> None:
    """The duplicate found in issue 8: POST succeeded, the GET after it failed with 503, the
    runner re-ran the handler and the simulator held two contacts of the same name."""
    since = time.time()
    op = contact_create(
        organization=connected.organization,
        user=None,
        data={"roles": {"customer": {}}, "company": {"name": "Doppelt Nie GmbH"}},
    )
    _fail_reads()
    runner.execute(op.pk)  # POST answers 200, then every GET of the read-back fails
    op.refresh_from_db()
    assert op.state == OperationState.PENDING, op.error_message  # waiting to read back
    assert op.written_at is not None and op.target_id
    op = _run_again(op)  # Lexware still failing: a retry reads, it does not write
    in_process_simulator().faults.clear(KEY)
    op = _run_again(op)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert [r["method"] for r in _writes(since)] == ["POST"]
    listed = in_process_simulator().requests_since(since, key_fingerprint(KEY))
    assert sum(1 for r in listed if r["method"] == "POST" and r["status"] in (200, 201)) == 1
    from portal.contacts.models import Contact

    assert (
        Contact.objects.filter(organization=connected.organization, name="Doppelt Nie GmbH").count()
        == 1
    )


def test_every_write_kind_has_a_sample() -> None:
    writes = sorted(
        name for name, kind in KINDS.items() if kind.is_write and not name.startswith("test.")
    )
    assert writes, "no write kind registered"
    assert writes == sorted(SAMPLES), "add a sample input for each write kind to SAMPLES"


@pytest.mark.parametrize("kind_name", sorted(SAMPLES))
def test_a_write_kind_sends_its_write_once_whatever_fails_after_it(
    connected, no_follow_up, kind_name, monkeypatch
) -> None:
    """Generic: reads fail after the write, the runner retries until the read-back works;
    exactly one write request reached Lexware and the operation succeeded."""
    kind = KINDS[kind_name]
    assert kind.read_back is not None and kind.reconcile is not None
    op = _sample_operation(kind_name, connected)
    since = time.time()
    _fail_reads_after_the_write(monkeypatch, kind_name)
    runner.execute(op.pk)
    op.refresh_from_db()
    assert op.written_at is not None, op.error_message
    for _ in range(3):  # more attempts while Lexware still fails: still no second write
        op = _run_again(op)
    in_process_simulator().faults.clear(KEY)
    op = _run_again(op)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(_writes(since)) == 1
    assert op.result_url() is None or op.result_url().startswith(
        f"/o/{connected.organization.slug}/"
    )


@pytest.mark.parametrize("kind_name", sorted(SAMPLES))
def test_a_write_lost_with_its_worker_is_reconciled_not_resent(
    connected, no_follow_up, kind_name, monkeypatch
) -> None:
    """The worker died after the write left (no written_at recorded): the sweeper must make it
    `unknown` and the reconciler adopt what Lexware holds, with no second write."""
    op = _sample_operation(kind_name, connected)
    since = time.time()
    with client_for_connection(connected) as client:
        # As the runner sends it (its hook notes that the write left), then the worker dies
        # before recording the outcome.
        client.before_send(lambda method, _path: runner._record_sending(op, method))
        KINDS[kind_name].handler(op, client)
    assert Operation.objects.get(pk=op.pk).sending_at is not None
    Operation.objects.filter(pk=op.pk).update(
        state=OperationState.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        not_before=timezone.now() - timedelta(seconds=1),
    )
    reconciles: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue_reconcile", lambda pk, **kw: reconciles.append(pk)
    )
    runner.sweep()
    op.refresh_from_db()
    assert op.state == OperationState.UNKNOWN and reconciles == [op.pk]
    runner.reconcile(op.pk)
    op.refresh_from_db()
    if kind_name in UNRECONCILABLE:
        for _ in range(3):
            runner.reconcile(op.pk)
        op.refresh_from_db()
        assert op.state == OperationState.FAILED and op.written_at is None
        assert op.reconciliation.get("found", "missing") is None
        assert len(_writes(since)) == 1
        return
    assert op.written_at is not None and op.result.get("adopted") is True
    op = _run_again(op)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert len(_writes(since)) == 1


@pytest.mark.parametrize("kind_name", sorted(SAMPLES))
def test_a_write_whose_worker_died_before_sending_runs_again_once(
    connected, no_follow_up, kind_name, monkeypatch
) -> None:
    """The worker died before the write left (say, waiting for the rate limiter): nothing can
    have reached Lexware, so the sweeper runs the operation again instead of leaving it
    `unknown` for a reconciler that would find nothing. One write in the end."""
    op = _sample_operation(kind_name, connected)
    since = time.time()
    Operation.objects.filter(pk=op.pk).update(
        state=OperationState.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        not_before=timezone.now() - timedelta(seconds=1),
    )
    reconciles: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue_reconcile", lambda pk, **kw: reconciles.append(pk)
    )
    counts = runner.sweep()
    op.refresh_from_db()
    assert counts["rerun"] == 1 and op.state == OperationState.PENDING and reconciles == []
    op = _run_again(op)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.sending_at is not None and op.written_at is not None
    assert len(_writes(since)) == 1


def test_a_write_refused_with_a_rate_limit_is_again_surely_not_sent(
    connected, no_follow_up, monkeypatch
) -> None:
    """A 429 on the write: Lexware did not act, so the mark that the write left is taken back
    and a worker lost afterwards means "run again", not "reconcile"."""
    op = _sample_operation(CONTACT_CREATE, connected)
    in_process_simulator().faults.add(KEY, Fault("429", count=20, method="POST"))
    try:
        runner.execute(op.pk)
    finally:
        in_process_simulator().faults.clear(KEY)
    op.refresh_from_db()
    assert op.state == OperationState.PENDING and op.written_at is None
    assert op.sending_at is None


def test_operation_kinds_are_declared_only_in_handlers_modules() -> None:
    declared = re.compile(r"\b(operation_kind|write_kind)\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "portal").rglob("*.py")
        if path.name != "handlers.py"
        and path.name != "registry.py"
        and declared.search(path.read_text())
    ]
    assert offenders == []


def test_every_kind_has_a_label_in_words() -> None:
    for name, kind in KINDS.items():
        if name.startswith("test."):
            continue
        assert str(kind.label) and str(kind.label) != name, name


def test_a_kind_the_worker_does_not_know_fails_visibly(connected, no_follow_up) -> None:
    """A row of a kind no handler declares (a deploy removed it): failed with a message, both
    when a task runs it and when the sweeper finds it stuck; the sweep goes on past it."""
    queued = Operation.objects.create(organization=connected.organization, kind="gone.kind")
    runner.execute(queued.pk)
    queued.refresh_from_db()
    # The worker writes its messages in the default language, German.
    assert (
        queued.state == OperationState.FAILED
        and "kennt der Hintergrundprozess nicht" in queued.error_message
    )

    stuck = Operation.objects.create(
        organization=connected.organization,
        kind="gone.kind",
        state=OperationState.RUNNING,
        attempts=1,
        not_before=timezone.now() - timedelta(seconds=1),
    )
    runner.sweep()
    stuck.refresh_from_db()
    assert (
        stuck.state == OperationState.FAILED
        and "kennt der Hintergrundprozess nicht" in stuck.error_message
    )


# Kinds a person starts from a form; the rest (a dunning run's writes) have no form to reopen.
FORM_KINDS = sorted(name for name in SAMPLES if KINDS[name].edit_url is not None)


@pytest.mark.parametrize("kind_name", FORM_KINDS)
def test_a_failed_write_reopens_its_form_with_the_input(
    connected, client_for, alice, kind_name
) -> None:
    """Nothing the user typed is lost: a write kind started from a form names that form
    (edit_url), and the form opens from the failed operation, ready to be sent again."""
    op = _sample_operation(
        kind_name,
        connected,
        state=OperationState.FAILED,
        error_message="Lexware did not accept this.",
    )
    url = op.edit_url()
    assert url and url.startswith(f"/o/{connected.organization.slug}/")
    response = client_for(alice).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="idempotency_key"' in html and "Lexware did not accept this." in html


def test_stored_messages_read_in_the_language_the_operation_was_started_in(connected) -> None:
    from django.utils import translation

    with translation.override("en"):
        started = contact_create(
            organization=connected.organization,
            user=None,
            data={"roles": {"customer": {}}, "company": {"name": "Sprache GmbH"}},
        )
    assert started.language == "en"
    english = Operation.objects.create(
        organization=connected.organization, kind="gone.kind", language="en"
    )
    german = Operation.objects.create(
        organization=connected.organization, kind="gone.kind", language="de"
    )
    for operation in (english, german):
        runner.execute(operation.pk)
        operation.refresh_from_db()
    assert english.error_message == "This kind of operation is unknown to the worker."
    assert german.error_message != english.error_message and german.error_message
