"""Receipts (issue 13 item 1): dropped files become uploads, Lexware's OCR makes unchecked
vouchers that land in the mirror, the portal deduplicates by checksum, a failed upload is
retried from the stored bytes, and an upload's lost answer is reconciled without a second
POST. In-process simulator; operations run by the test as a worker would."""

from __future__ import annotations

import time
from typing import Any

from django.urls import reverse

from lexware import key_fingerprint
from portal.bookkeeping.models import Receipt
from portal.bookkeeping.services import CHECK, UPLOAD
from portal.documents.models import Document
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from tests.portal.bookkeeping.conftest import KEY, named, pdf_bytes, png_bytes, run, run_pending

UPLOAD_URL = "/o/alpha/bookkeeping/receipts/"


def _uploads(sim: Any, since: float) -> list[dict[str, Any]]:
    return [
        r
        for r in sim.requests_since(since, key_fingerprint(KEY))
        if r["method"] == "POST" and r["path"] == "/v1/files"
    ]


def test_dropped_files_become_unchecked_vouchers_with_their_receipts(
    client_for, bob, connected, sim, no_follow_up
) -> None:
    since = time.time()
    response = client_for(bob).post(
        UPLOAD_URL,
        {"files": [named(pdf_bytes("eins"), "eins.pdf"), named(png_bytes(2), "zwei.png")]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "eins.pdf" in html and "zwei.png" in html and "every 2s" in html
    receipts = list(Receipt.objects.filter(organization=connected.organization))
    assert len(receipts) == 2
    run_pending(sim)
    for receipt in receipts:
        receipt.refresh_from_db()
        assert receipt.voucher_id and receipt.file_id
        document = Document.objects.get(lexware_id=receipt.voucher_id)
        assert document.status == "unchecked"
        assert document.raw["files"] == [str(receipt.file_id)]
    assert len(_uploads(sim, since)) == 2
    # Calls per upload: the upload and one read-back after OCR.
    calls = sim.requests_since(since, key_fingerprint(KEY))
    assert len(calls) == 4, [c["path"] for c in calls]
    row = client_for(bob).get(f"{UPLOAD_URL}{receipts[0].pk}/").content.decode()
    assert "Complete" in row or "Vervollständigen" in row
    assert "every 2s" not in row


def test_the_same_file_dropped_again_is_not_uploaded_twice(
    client_for, bob, connected, sim, no_follow_up
) -> None:
    since = time.time()
    client = client_for(bob)
    client.post(UPLOAD_URL, {"files": [named(pdf_bytes("gleich"), "a.pdf")]})
    run_pending(sim)
    response = client.post(
        UPLOAD_URL, {"files": [named(pdf_bytes("gleich"), "b.pdf")]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert Receipt.objects.filter(organization=connected.organization).count() == 1
    assert Operation.objects.filter(kind=UPLOAD).count() == 1
    assert len(_uploads(sim, since)) == 1


def test_a_failed_upload_is_retried_from_the_stored_bytes(
    client_for, bob, connected, sim, no_follow_up
) -> None:
    client = client_for(bob)
    client.post(UPLOAD_URL, {"files": [named(pdf_bytes("nochmal"), "nochmal.pdf")]})
    receipt = Receipt.objects.get(organization=connected.organization)
    # What the runner leaves after giving up on a write that never left (MAX_ATTEMPTS × 429).
    op = receipt.operation
    Operation.objects.filter(pk=op.pk).update(
        state=OperationState.FAILED, error_message="Gave up after 8 attempts"
    )
    op.refresh_from_db()
    assert op.state == OperationState.FAILED and op.written_at is None
    row = client.get(f"{UPLOAD_URL}{receipt.pk}/").content.decode()
    assert "retry" in row
    client.post(f"{UPLOAD_URL}{receipt.pk}/retry/")
    client.post(f"{UPLOAD_URL}{receipt.pk}/retry/")  # a double click: one more upload only
    receipt.refresh_from_db()
    assert Operation.objects.filter(kind=UPLOAD).count() == 2
    run_pending(sim)
    receipt.refresh_from_db()
    assert receipt.voucher_id is not None
    assert len(sim.tenant_for_key(KEY).vouchers) == 1


def test_an_upload_whose_answer_was_lost_is_found_by_checksum_not_sent_again(
    client_for, bob, connected, sim, no_follow_up, monkeypatch
) -> None:
    client_for(bob).post(UPLOAD_URL, {"files": [named(pdf_bytes("verloren"), "v.pdf")]})
    # Another voucher uploaded meanwhile must not be taken for ours.
    client_for(bob).post(UPLOAD_URL, {"files": [named(pdf_bytes("fremd"), "f.pdf")]})
    ours, other = Receipt.objects.order_by("pk")
    run(other.operation)
    since = time.time()
    from portal.operations.clients import client_for_connection

    op = ours.operation
    with client_for_connection(connected) as client:
        client.before_send(lambda method, _path: runner._record_sending(op, method))
        runner.KINDS[UPLOAD].handler(op, client)  # sent; the worker dies before recording it
    sim.scheduler.wait_idle(10)
    Operation.objects.filter(pk=op.pk).update(state=OperationState.UNKNOWN)
    with runner.transaction.atomic():
        locked = Operation.objects.select_for_update().get(pk=op.pk)
        runner._reconcile(locked)
    op = run(op)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    ours.refresh_from_db()
    other.refresh_from_db()
    assert ours.voucher_id and ours.voucher_id != other.voucher_id
    assert len(_uploads(sim, since)) == 1
    assert len(sim.tenant_for_key(KEY).vouchers) == 2
    run_pending(sim)
    assert Document.objects.get(lexware_id=ours.voucher_id).status == "unchecked"


def test_an_upload_cut_off_by_its_dying_worker_fails_visibly_and_is_sent_once_on_retry(
    client_for, bob, connected, sim, no_follow_up, monkeypatch
) -> None:
    """The worker died after marking the upload as sending but before Lexware executed it (cut
    off mid-send: the request never became whole). The sweeper cannot tell that from a lost
    answer, so it reconciles; finding nothing, the receipt fails with "Try again" instead of
    staying unknown, and the retry makes exactly one voucher."""
    client = client_for(bob)
    client.post(UPLOAD_URL, {"files": [named(pdf_bytes("abgeschnitten"), "cut.pdf")]})
    receipt = Receipt.objects.get(organization=connected.organization)
    op = receipt.operation
    since = time.time()
    now = runner.timezone.now()
    Operation.objects.filter(pk=op.pk).update(
        state=OperationState.RUNNING,
        attempts=1,
        started_at=now,
        sending_at=now,
        not_before=now - runner.timedelta(seconds=1),
    )
    monkeypatch.setattr("portal.operations.runner.enqueue_reconcile", lambda pk, **kw: None)
    assert runner.sweep()["unknown"] == 1
    for _ in range(3):  # the reconciler's checks: nothing of ours in Lexware
        runner.reconcile(op.pk)
    op.refresh_from_db()
    assert op.state == OperationState.FAILED and op.reconciliation["found"] is None
    assert sim.tenant_for_key(KEY).vouchers == {}
    assert "retry" in client.get(f"{UPLOAD_URL}{receipt.pk}/").content.decode()
    client.post(f"{UPLOAD_URL}{receipt.pk}/retry/")
    receipt.refresh_from_db()
    run(receipt.operation)
    receipt.refresh_from_db()
    assert receipt.voucher_id is not None
    assert len(_uploads(sim, since)) == 1
    assert list(sim.tenant_for_key(KEY).vouchers) == [str(receipt.voucher_id)]


def test_a_check_before_ocr_is_done_looks_again_later(connected, sim, no_follow_up) -> None:
    from portal.bookkeeping.services import receipt_upload

    sim.ocr_delay = 30
    receipt, _ = receipt_upload(
        organization=connected.organization,
        user=None,
        filename="langsam.pdf",
        media_type="application/pdf",
        content=pdf_bytes("langsam"),
    )
    run(receipt.operation)
    first = Operation.objects.get(kind=CHECK)
    assert first.not_before is not None  # delayed for the OCR
    run(first)
    assert first.result.get("blank") is True
    assert Operation.objects.filter(kind=CHECK).count() == 2
    receipt.refresh_from_db()
    assert not Document.objects.filter(lexware_id=receipt.voucher_id).exists()


def test_the_receipt_file_downloads_and_previews(client_for, carol, connected, sim) -> None:
    from portal.bookkeeping.services import receipt_upload

    receipt, _ = receipt_upload(
        organization=connected.organization,
        user=None,
        filename="ansicht.pdf",
        media_type="application/pdf",
        content=pdf_bytes("ansicht"),
    )
    url = reverse("bookkeeping:receipt_file", kwargs={"org_slug": "alpha", "pk": receipt.pk})
    download = client_for(carol).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes("ansicht")
    assert "attachment" in download["Content-Disposition"]
    preview = client_for(carol).get(url + "?inline=1")
    assert "inline" in preview["Content-Disposition"]
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]


def test_a_file_attached_in_lexware_is_loaded_and_previewed_here(
    client_for, carol, bob, connected, sim, no_follow_up
) -> None:
    """A voucher's file the portal never had (attached in Lexware's web app): "Load from
    Lexware" downloads it once through a worker; then it is downloadable and previewed."""
    from portal.bookkeeping.services import EDIT
    from portal.operations.clients import client_for_connection

    with client_for_connection(connected) as client:
        made = client.files.upload(pdf_bytes("aus-lexware"), "aus-lexware.pdf")
    run_pending(sim)
    with client_for_connection(connected) as client:
        EDIT.upsert(connected.organization, client.vouchers.get_raw(str(made.voucher_id)))
    url = f"/o/alpha/bookkeeping/{made.voucher_id}/"
    page = client_for(carol).get(url).content.decode()
    assert "aus-lexware" not in page and f"files/{made.id}/fetch/" in page
    response = client_for(carol).post(f"{url}files/{made.id}/fetch/")
    assert response.status_code == 302
    client_for(carol).post(f"{url}files/{made.id}/fetch/")  # twice: one download
    run_pending(sim)
    stored = Receipt.objects.get(file_id=made.id)
    assert bytes(stored.content) == pdf_bytes("aus-lexware")
    assert Operation.objects.filter(kind="voucher.file_fetch").count() == 1
    page = client_for(carol).get(url).content.decode()
    assert "receipt-preview" in page and f"receipts/{stored.pk}/file/" in page


def test_attaching_on_the_detail_page_keeps_the_first_file(
    client_for, bob, connected, sim, no_follow_up
) -> None:
    from portal.bookkeeping.services import receipt_upload

    receipt, _ = receipt_upload(
        organization=connected.organization,
        user=None,
        filename="erst.pdf",
        media_type="application/pdf",
        content=pdf_bytes("erst"),
    )
    run_pending(sim)
    receipt.refresh_from_db()
    url = f"/o/alpha/bookkeeping/{receipt.voucher_id}/files/"
    response = client_for(bob).post(url, {"files": [named(png_bytes(9), "zweit.png")]})
    assert response.status_code == 302
    run_pending(sim)
    voucher = sim.tenant_for_key(KEY).vouchers[str(receipt.voucher_id)]
    attached = Receipt.objects.get(filename="zweit.png")
    assert voucher["files"] == [str(receipt.file_id), str(attached.file_id)]
    page = client_for(bob).get(f"/o/alpha/bookkeeping/{receipt.voucher_id}/").content.decode()
    assert "erst.pdf" in page and "zweit.png" in page
