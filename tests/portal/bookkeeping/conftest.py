"""An organization connected to the in-process simulator, with the posting categories and a
vendor in its mirror, and small receipt files made here."""

from __future__ import annotations

import io
from typing import Any

import pytest

from lexware import key_fingerprint
from lexware.simulator.reference_data import posting_categories
from portal.core import crypto
from portal.operations import runner
from portal.operations.clients import client_for_connection
from portal.operations.models import Operation
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization
from portal.reference.models import ReferenceItem

KEY = "voucher-form-test-key-0000000000"
OUTGO = "16d04a28-fd91-11e1-a21f-0800200c9a66"
INCOME = "8f8664a8-fd86-11e1-a21f-0800200c9a66"


def pdf_bytes(label: str = "Beleg") -> bytes:
    """A small distinct PDF (the simulator checks the magic bytes, Lexware the content)."""
    body = f"%PDF-1.4\n% {label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    return body.encode()


def png_bytes(seed: int = 0) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes([seed % 256]) * 64


def named(content: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    sim.ocr_delay = 0.01
    connection = LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )
    for row in posting_categories():
        ReferenceItem.objects.create(
            organization=org_a,
            kind=ReferenceItem.Kind.POSTING_CATEGORY,
            key=row["id"],
            name=row["name"],
            raw=row,
        )
    return connection


@pytest.fixture
def vendor(connected: LexwareConnection) -> str:
    from portal.contacts.mirror import upsert_contact
    from portal.core.mirror import api_dict

    with client_for_connection(connected) as client:
        made = client.contacts.create(
            {"version": 0, "roles": {"vendor": {}}, "company": {"name": "Bürobedarf Nord GmbH"}}
        )
        data = api_dict(client.contacts.get(str(made.id)))
    upsert_contact(organization=connected.organization, data=data)
    return str(made.id)


@pytest.fixture
def no_follow_up(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    monkeypatch.setattr(
        "portal.operations.queue.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    return queued


def run(op: Operation) -> Operation:
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    op.refresh_from_db()
    return op


def run_pending(sim: Any) -> None:
    """Let the simulator finish its OCR, then run every operation that is waiting (a delayed
    receipt check too), as a worker would once their time comes."""
    sim.scheduler.wait_idle(10)
    for _ in range(5):
        pending = list(Operation.objects.filter(state="pending").order_by("pk"))
        if not pending:
            return
        for op in pending:
            run(op)
        sim.scheduler.wait_idle(10)
