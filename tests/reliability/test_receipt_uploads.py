"""Issue 13 item 5: 20 receipts dropped at once survive their worker being SIGKILLed mid-way,
while the simulator answers some uploads with 504 after storing them (ambiguous uploads).
Each file ends up in the simulator exactly once, as one unchecked voucher, and in the mirror:
checked from the simulator's own voucherlist and request log, with a real Celery worker,
Redis and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from portal.bookkeeping.models import Receipt
from portal.bookkeeping.services import receipt_upload
from portal.documents.models import Document
from portal.operations import runner
from tests.reliability.rig import SimulatorServer, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

FILES = 20


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    """Ten times Lexware's rate and a quick OCR: what is tested is the outcome, not the pace."""
    server = SimulatorServer(extra_args=["--rate", "20", "--burst", "20", "--ocr-delay", "0.5"])
    server.start()
    yield server
    server.stop()


def _pdf(i: int) -> bytes:
    return f"%PDF-1.4\n% Beleg {i:02d}\n{'x' * 2000}\n%%EOF\n".encode()


def _uploads(simulator: SimulatorServer, api_key: str) -> list[dict[str, Any]]:
    return [
        r for r in simulator.requests(api_key) if r["method"] == "POST" and r["path"] == "/v1/files"
    ]


def _vouchers(simulator: SimulatorServer, api_key: str) -> list[dict[str, Any]]:
    response = simulator.api(
        "GET",
        "voucherlist",
        api_key,
        params={"voucherType": "purchaseinvoice", "voucherStatus": "unchecked", "size": 250},
    )
    response.raise_for_status()
    return list(response.json()["content"])


def test_twenty_uploads_survive_a_sigkilled_worker_each_exactly_once(
    connected_org, simulator, real_broker, start_worker
) -> None:
    organization, api_key = connected_org
    simulator.fault(api_key, "504", ratio=0.15, method="POST", pathPrefix="/v1/files")
    rate = {"LEXWARE_RATE_PER_SECOND": "18", "LEXWARE_BURST": "6"}
    worker = start_worker(broker=real_broker, pool="threads", concurrency=4, **rate)
    for i in range(FILES):
        receipt_upload(
            organization=organization,
            user=None,
            filename=f"beleg-{i:02d}.pdf",
            media_type="application/pdf",
            content=_pdf(i),
        )
    wait_until(
        lambda: len(_uploads(simulator, api_key)) >= 6,
        timeout=120,
        what="6 uploads to reach the simulator",
    )
    worker.kill_all()  # SIGKILL, main process and pool at once
    killed_at = len(_uploads(simulator, api_key))
    start_worker(broker=real_broker, pool="threads", concurrency=4, **rate)

    def finished() -> bool:
        runner.sweep()  # what beat does: settle operations whose worker died
        ids = list(
            Receipt.objects.filter(organization=organization).values_list("voucher_id", flat=True)
        )
        if None in ids:
            return False
        return (
            Document.objects.filter(
                organization=organization, lexware_id__in=ids, status="unchecked"
            ).count()
            == FILES
        )

    def where() -> str:
        from django.db.models import Count

        from portal.operations.models import Operation

        states = list(
            Operation.objects.filter(organization=organization)
            .values("kind", "state")
            .annotate(n=Count("pk"))
            .order_by("kind", "state")
        )
        failed = list(
            Operation.objects.filter(organization=organization, state="failed").values_list(
                "kind", "error_message"
            )[:5]
        )
        return f"every receipt to be an unchecked voucher: {states} {failed}"

    wait_until(finished, timeout=300, interval=2, what=where)

    vouchers = _vouchers(simulator, api_key)
    assert len(vouchers) == FILES  # none lost, none twice
    receipts = Receipt.objects.filter(organization=organization)
    assert len({r.voucher_id for r in receipts}) == FILES
    assert {str(r.voucher_id) for r in receipts} == {v["id"] for v in vouchers}
    posts = _uploads(simulator, api_key)
    made = [p for p in posts if p["status"] in (202, 504)]
    assert len(made) == FILES, [p["status"] for p in posts]  # no file sent twice
    assert killed_at < FILES
    print(
        f"receipts R: {len(posts)} uploads ({sum(p['status'] == 504 for p in posts)} answered "
        f"504), worker killed after {killed_at}, {len(vouchers)} vouchers"
    )
