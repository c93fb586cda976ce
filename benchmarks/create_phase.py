"""One measured phase of the create benchmark (`benchmarks.create`) and its figures.

`run_phase` submits invoices one at a time as the editor's "Finalize" does and times each until it
is visible in the mirror with its number; `split_read_back` divides the read-back step at the
GET's arrival in the simulator's log; `stats` and `slowest` summarise a phase.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from benchmarks._common import log, percentile


def invoice_fields(index: int) -> dict[str, str]:
    """What the editor posts (in German, the default language) for a finalized invoice."""
    today = time.strftime("%Y-%m-%d")
    lines = [
        ("custom", "Montage Stunde", "3", "Std.", "68,00", "19", "5"),
        ("custom", "Fachbuch Metallbau", "2", "Stück", "8,32", "7", ""),
        ("custom", f"Edelstahlschrauben M6 #{index}", "4", "Packung", "13,40", "19", ""),
    ]
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "address_name": f"Benchmark Kunde {index:03d} GmbH",
        "address_street": "Hafenweg 3",
        "address_zip": "20457",
        "address_city": "Hamburg",
        "address_country": "DE",
        "voucher_date": today,
        "tax_type": "net",
        "shipping_type": "delivery",
        "shipping_date": today,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
    }
    for i, (kind, name, quantity, unit, price, rate, discount) in enumerate(lines):
        data.update(
            {
                f"lines-{i}-type": kind,
                f"lines-{i}-name": name,
                f"lines-{i}-quantity": quantity,
                f"lines-{i}-unit_name": unit,
                f"lines-{i}-unit_price": price,
                f"lines-{i}-tax_rate": rate,
                f"lines-{i}-discount": discount,
            }
        )
    return data


def run_phase(
    organization: Any, count: int, label: str, timeout: float, pause: float = 0.0
) -> dict[str, Any]:
    """Submit `count` invoices one after another, `pause` seconds apart (a user reading the
    result before writing the next); the seconds each took to become visible."""
    from portal.documents.models import Document
    from portal.operations.models import Operation, OperationState
    from portal.sales import services
    from portal.sales.forms import DocumentForm
    from portal.sales.types import sales_type

    invoice = sales_type("invoice")
    seconds: list[float] = []
    steps: list[dict[str, Any]] = []
    failures: list[str] = []
    began = time.time()
    for index in range(count):
        if index:
            time.sleep(pause)
        form = DocumentForm(invoice_fields(index), sales_type=invoice, organization=organization)
        if not form.is_valid():
            raise RuntimeError(
                f"the editor refused the invoice: {form.errors} {form.lines.errors} "
                f"{form.lines.non_form_errors()}"
            )
        submitted = time.monotonic()
        operation = services.document_create(
            organization=organization,
            user=None,
            sales_type=invoice,
            data=form.to_lexware(),
            finalize=True,
            idempotency_key=form.key,
        )
        deadline = submitted + timeout
        visible, failure = None, "timeout"
        while time.monotonic() < deadline:
            op = Operation.objects.only("state", "target_id", "error_message").get(pk=operation.pk)
            if op.state == OperationState.FAILED:
                failure = op.error_message
                break
            if (
                op.target_id
                and Document.objects.filter(organization=organization, lexware_id=op.target_id)
                .exclude(voucher_number="")
                .exists()
            ):
                visible = time.monotonic()
                break
            time.sleep(0.02)
        if visible is None:
            failures.append(failure)
            log(f"{label}: invoice {index + 1}/{count} not visible: {failure}")
            continue
        seconds.append(visible - submitted)
        # The mirror row is written inside the read-back, before the operation is finished:
        # wait for its end (outside the measured time) so that every step has its timestamps.
        done = Operation.objects.get(pk=operation.pk)
        settle = time.monotonic() + 10
        while done.finished_at is None and time.monotonic() < settle:
            time.sleep(0.05)
            done = Operation.objects.get(pk=operation.pk)
        steps.append(_steps(done, total=visible - submitted))
        log(f"{label}: invoice {index + 1}/{count} visible after {seconds[-1]:.2f} s")
    return {
        "seconds": seconds,
        "steps": steps,
        "failures": failures,
        "since": began,
        "until": time.time(),
    }


def _steps(op: Any, *, total: float) -> dict[str, Any]:
    """Where an invoice's time went, from the operation's own timestamps: waiting for a worker
    thread (created → claimed), waiting for the limiter before the POST (claimed → sending), the
    POST (sending → written), the read-back GET with its limiter wait and the mirror write
    (written → finished). `split_read_back` later splits the read-back at the GET's arrival in
    the simulator's log."""

    def between(start: Any, end: Any) -> float | None:
        return None if start is None or end is None else round((end - start).total_seconds(), 3)

    return {
        "total": round(total, 3),
        "queue": between(op.created_at, op.started_at),
        "before_post": between(op.started_at, op.sending_at),
        "post": between(op.sending_at, op.written_at),
        "read_back": between(op.written_at, op.finished_at),
        "id": op.target_id,
        "written": op.written_at.timestamp() if op.written_at else None,
        "finished": op.finished_at.timestamp() if op.finished_at else None,
    }


def split_read_back(steps: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    """read_back = until_get_arrives (limiter, client) + get_and_mirror (the simulator's answer,
    the mirror write), from the arrival time of the GET in the simulator's log; simulator_get
    is the part the simulator itself took to answer."""
    gets = {
        e["path"].rsplit("/", 1)[-1]: e
        for e in entries
        if e["method"] == "GET" and e["path"].startswith("/v1/invoices/")
    }
    for step in steps:
        get = gets.get(step.pop("id", None) or "")
        written, finished = step.pop("written", None), step.pop("finished", None)
        if get is not None and written is not None and finished is not None:
            step["until_get_arrives"] = round(get["timestamp"] - written, 3)
            step["get_and_mirror"] = round(finished - get["timestamp"], 3)
            if get.get("seconds") is not None:
                step["simulator_get"] = get["seconds"]


def slowest(phase: dict[str, Any], count: int = 3) -> list[dict[str, Any]]:
    return sorted(phase["steps"], key=lambda step: -(step["total"] or 0))[:count]


def stats(seconds: list[float]) -> dict[str, float | None]:
    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 3)

    return {
        "p50_s": r(percentile(seconds, 0.5)),
        "p95_s": r(percentile(seconds, 0.95)),
        "max_s": r(max(seconds) if seconds else None),
    }
