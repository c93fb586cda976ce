"""Files of a finalized document, fetched by the worker from Lexware's `/file` (§5.3) through
the in-process simulator, kept by (organization, document, version) in storage, served to staff.

Celery is eager: an operation enqueued on commit runs when
`django_capture_on_commit_callbacks(execute=True)` ends.
"""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.documents.fetch import fetch_document
from portal.documents.models import Document
from portal.files.models import DocumentFile
from portal.files.services import FILES_FETCH, document_files_fetch
from portal.files.storage import document_storage
from portal.operations import runner
from portal.operations.models import Lane, Operation, OperationState
from tests.portal.files.conftest import KEY, make_invoice


def _detail(document: Document) -> str:
    return reverse(
        "documents:detail", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id}
    )


def _fetch_url(document: Document) -> str:
    return reverse("files:fetch", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id})


def _file_calls(sim: Any, since: float) -> list[dict[str, Any]]:
    return [
        r for r in sim.requests_since(since, key_fingerprint(KEY)) if r["path"].endswith("/file")
    ]


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_fetch_button_stores_the_pdf_and_staff_download_it(
    client_for, carol, invoice, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(carol)  # a viewer may fetch and download: nothing in Lexware changes
    page = client.get(_detail(invoice)).content.decode()
    assert "Fetch PDF from Lexware" in page or "PDF aus Lexware abrufen" in page
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_fetch_url(invoice), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'class="job-status' in response.content.decode()  # progress, not a wait on Lexware
    op = Operation.objects.get(kind=FILES_FETCH)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.lane == Lane.INTERACTIVE
    assert len(_file_calls(sim, since)) == 1  # a regular invoice: the PDF only
    stored = DocumentFile.objects.get(document=invoice)
    assert (stored.version, stored.kind) == (invoice.version, "pdf")
    assert stored.storage_name.endswith(f"{invoice.lexware_id}/v{invoice.version}/pdf.pdf")

    page = client.get(_detail(invoice)).content.decode()
    download = reverse("files:download", kwargs={"org_slug": "alpha", "code": stored.code})
    preview = reverse("files:preview", kwargs={"org_slug": "alpha", "code": stored.code})
    assert download in page and preview in page and "<iframe" in page
    response = client.get(download)
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert invoice.voucher_number in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert invoice.voucher_number in _pdf_text(content)
    # The preview may be framed by our own pages only, and opens inline.
    inline = client.get(preview)
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    # Served from storage: no further Lexware call.
    assert len(_file_calls(sim, since)) == 1


def test_an_xrechnung_gets_its_xml_as_well(
    client_for, bob, lexware, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    document = make_invoice(lexware, org_a, e_invoice=True)
    assert document.raw["electronicDocumentProfile"] == "XRechnung"
    with django_capture_on_commit_callbacks(execute=True):
        document_files_fetch(organization=org_a, document=document)
    kinds = set(DocumentFile.objects.filter(document=document).values_list("kind", flat=True))
    assert kinds == {"pdf", "xml"}
    xml = DocumentFile.objects.get(document=document, kind="xml")
    response = client_for(bob).get(
        reverse("files:download", kwargs={"org_slug": "alpha", "code": xml.code})
    )
    assert response["Content-Type"] == "application/xml"
    assert b"<Invoice" in b"".join(response.streaming_content)
    page = client_for(bob).get(_detail(document)).content.decode()
    assert "XRechnung" in page


def test_a_draft_has_no_file_and_the_page_says_why(
    client_for, bob, lexware, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    draft = make_invoice(lexware, org_a, finalize=False)
    client = client_for(bob)
    page = client.get(_detail(draft)).content.decode()
    assert "Drafts have no PDF" in page or "Entwürfe haben kein PDF" in page
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_fetch_url(draft))
    assert not Operation.objects.filter(kind=FILES_FETCH).exists()
    assert _file_calls(sim, since) == []


def test_lexware_answering_409_for_a_draft_fails_the_fetch_visibly(
    lexware, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    """The mirror believes the document finalized; Lexware says draft (409): no retry loop."""
    draft = make_invoice(lexware, org_a, finalize=False)
    Document.objects.filter(pk=draft.pk).update(status="open")
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        op = document_files_fetch(organization=org_a, document=draft)
    op.refresh_from_db()
    assert op.state == OperationState.FAILED
    assert "draft" in op.error_message or "Entwurf" in op.error_message
    assert not DocumentFile.objects.filter(document=draft).exists()


@override_settings(FILES_FETCH_ON_CHANGE=True)
def test_a_changed_document_gets_a_new_file_and_the_old_one_is_kept(
    lexware, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    from portal.documents.fetch import refresh_document

    with django_capture_on_commit_callbacks(execute=True):
        document = make_invoice(lexware, org_a)
        # The mirror learns of it (webhook refresh): a bulk fetch, nobody waiting.
        refresh_document(
            client=lexware,
            organization=org_a,
            lexware_id=str(document.lexware_id),
            voucher_type="invoice",
        )
    first = DocumentFile.objects.get(document=document)
    assert Operation.objects.get(kind=FILES_FETCH).lane == Lane.BULK
    # Lexware changes the document (a new version), the webhook's refresh brings it.
    sim.tenant_for_key(KEY).sales[str(document.lexware_id)]["version"] += 1
    with django_capture_on_commit_callbacks(execute=True):
        refresh_document(
            client=lexware,
            organization=org_a,
            lexware_id=str(document.lexware_id),
            voucher_type="invoice",
        )
    files = list(DocumentFile.objects.filter(document=document).order_by("version"))
    assert [f.version for f in files] == [first.version, first.version + 1]
    assert files[0].storage_name != files[1].storage_name
    assert all(document_storage().exists(f.storage_name) for f in files)
    # A third refresh without a change starts nothing.
    with django_capture_on_commit_callbacks(execute=True):
        refresh_document(
            client=lexware,
            organization=org_a,
            lexware_id=str(document.lexware_id),
            voucher_type="invoice",
        )
    assert Operation.objects.filter(kind=FILES_FETCH).count() == 2


def test_a_retried_fetch_stores_nothing_twice(lexware, org_a, invoice, sim) -> None:
    from portal.files.handlers import fetch_document_files

    first = fetch_document_files(client=lexware, document=invoice)
    second = fetch_document_files(client=lexware, document=invoice)
    assert first["stored"] == ["pdf"] and second["stored"] == []
    assert DocumentFile.objects.filter(document=invoice).count() == 1


@pytest.mark.parametrize("status", ["429", "503"])
def test_lexware_busy_during_a_fetch_is_retried_and_the_page_shows_progress(
    status, client_for, bob, invoice, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    # More than the client's own retries absorb: the runner puts the operation back.
    sim.faults.add(KEY, Fault(status, count=50, path_prefix="/v1/invoices"))
    with django_capture_on_commit_callbacks(execute=True):
        op = document_files_fetch(organization=invoice.organization, document=invoice)
    op.refresh_from_db()
    assert op.state == OperationState.PENDING and op.not_before is not None  # retried later
    panel = (
        client_for(bob)
        .get(reverse("files:panel", kwargs={"org_slug": "alpha", "lexware_id": invoice.lexware_id}))
        .content.decode()
    )
    assert 'class="job-status' in panel
    sim.faults.clear(KEY)  # Lexware is back
    Operation.objects.filter(pk=op.pk).update(not_before=None)  # its delay is over
    runner.execute(op.pk)  # the next attempt, as the worker would run it
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert DocumentFile.objects.filter(document=invoice, kind="pdf").count() == 1


def test_the_fetch_works_from_a_document_that_has_no_details_yet(
    lexware, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    """Only a voucherlist row in the mirror: the worker learns the version first."""
    document = make_invoice(lexware, org_a)
    Document.objects.filter(pk=document.pk).update(version=None, details_synced_at=None)
    document.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        op = document_files_fetch(organization=org_a, document=document)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert DocumentFile.objects.get(document=document).version == 1
    assert fetch_document  # the mirror writer the handler used
