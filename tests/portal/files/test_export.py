"""Bulk export (issue 12 item 2): ticked documents or all matching the filter → one ZIP of
their PDFs built by a worker; missing PDFs are fetched through the fetch kind (and retried
when Lexware is busy) while the page says "being prepared"; a build restarted after its worker
died yields a ZIP with every file once.

Celery is eager here; the export's own follow-up steps are collected, not run inline, and the
test runs them as the worker would."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lexware.simulator.faults import Fault
from portal.files import exports
from portal.files.handlers import fetch_document_files
from portal.files.models import DocumentExport, DocumentFile, ExportState
from portal.files.services import FILES_FETCH
from portal.files.storage import download_filename
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from tests.portal.files.conftest import KEY, make_invoice


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    queued: list[int] = []
    monkeypatch.setattr(
        exports, "enqueue_step", lambda pk, countdown=None: queued.append(pk) or True
    )
    return queued


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"org_slug": "alpha", **kwargs})


def _zip_names(export: DocumentExport) -> list[str]:
    from portal.files.storage import document_storage

    with document_storage().open(export.storage_name, "rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            assert archive.read(name).startswith(b"%PDF")
        return archive.namelist()


def test_ticked_documents_become_one_zip_missing_pdfs_fetched_first(
    client_for, bob, lexware, org_a, sim, steps, django_capture_on_commit_callbacks
) -> None:
    ready = make_invoice(lexware, org_a)
    fetch_document_files(client=lexware, document=ready)
    missing = make_invoice(lexware, org_a)
    draft = make_invoice(lexware, org_a, finalize=False)
    client = client_for(bob)
    listing = client.get(_url("documents:list")).content.decode()
    assert 'form="pdf-export"' in listing and f'value="{ready.lexware_id}"' in listing
    response = client.post(
        _url("files:export_create"),
        {"scope": "selected", "document": [ready.lexware_id, missing.lexware_id, draft.lexware_id]},
    )
    export = DocumentExport.objects.get()
    assert response["Location"] == _url("files:export", code=export.code)
    assert export.total == 2 and export.state == ExportState.PREPARING  # the draft has no PDF
    page = client.get(response["Location"]).content.decode()
    assert "Being prepared" in page or "Wird vorbereitet" in page
    # The step starts the fetch of the missing PDF (eager: it runs on commit) and comes back.
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.export_step(export.pk) == "preparing"
    assert Operation.objects.filter(kind=FILES_FETCH, state="succeeded").count() == 1
    assert exports.export_step(export.pk) == "done"
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.added == 2 and export.builds == 1
    assert sorted(_zip_names(export)) == sorted(
        [download_filename(ready, "pdf"), download_filename(missing, "pdf")]
    )
    download = client.get(_url("files:export_download", code=export.code))
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_all_that_match_the_filter(
    client_for, bob, lexware, org_a, sim, steps, django_capture_on_commit_callbacks
) -> None:
    first, second = make_invoice(lexware, org_a), make_invoice(lexware, org_a)
    for document in (first, second):
        fetch_document_files(client=lexware, document=document)
    client_for(bob).post(_url("files:export_create"), {"scope": "all", "q": second.voucher_number})
    export = DocumentExport.objects.get()
    assert export.document_ids == [second.pk]
    client_for(bob).post(_url("files:export_create"), {"scope": "all"})
    assert DocumentExport.objects.order_by("-pk").first().total == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("status", ["429", "503"])
def test_lexware_busy_during_the_fetch_is_retried_and_the_page_says_being_prepared(
    status,
    client_for,
    bob,
    lexware,
    org_a,
    sim,
    steps,
    no_follow_up,
    django_capture_on_commit_callbacks,
) -> None:
    document = make_invoice(lexware, org_a)
    sim.faults.add(KEY, Fault(status, count=50, path_prefix="/v1/invoices"))
    export = exports.document_export_create(organization=org_a, user=bob, documents=[document])
    with django_capture_on_commit_callbacks(execute=True):
        assert exports.export_step(export.pk) == "preparing"
    op = Operation.objects.get(kind=FILES_FETCH)
    assert op.state == OperationState.PENDING and op.not_before is not None  # retried later
    assert exports.export_step(export.pk) == "preparing"  # waits; starts no second fetch
    assert Operation.objects.filter(kind=FILES_FETCH).count() == 1
    page = client_for(bob).get(_url("files:export", code=export.code)).content.decode()
    assert "Being prepared" in page or "Wird vorbereitet" in page
    assert 'hx-trigger="every 2s"' in page
    sim.faults.clear(KEY)
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    assert exports.export_step(export.pk) == "done"
    export.refresh_from_db()
    assert export.added == 1 and _zip_names(export) == [download_filename(document, "pdf")]


def test_a_build_whose_worker_died_is_taken_over_and_has_every_file_once(
    lexware, org_a, bob, sim, steps, settings
) -> None:
    documents = [make_invoice(lexware, org_a) for _ in range(3)]
    for document in documents:
        fetch_document_files(client=lexware, document=document)
    export = exports.document_export_create(organization=org_a, user=bob, documents=documents)
    # A worker took the lease and died mid-build (SIGKILL: no cleanup, no release).
    DocumentExport.objects.filter(pk=export.pk).update(
        state=ExportState.BUILDING, worker_token="dead", heartbeat_at=timezone.now(), added=2
    )
    assert exports.export_step(export.pk) == "not mine"  # its lease is still fresh
    assert exports.export_sweep() == 0
    DocumentExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.EXPORT_LEASE_SECONDS + 1)
    )
    assert exports.export_sweep() == 1 and steps == [export.pk]
    assert exports.export_step(export.pk) == "done"
    export.refresh_from_db()
    names = _zip_names(export)
    assert len(names) == len(set(names)) == 3 and export.added == 3


def test_same_numbers_get_distinct_names_in_the_zip() -> None:
    used: set[str] = set()
    names = [exports._unique("Rechnung-RE1.pdf", used) for _ in range(3)]
    assert names == ["Rechnung-RE1.pdf", "Rechnung-RE1-2.pdf", "Rechnung-RE1-3.pdf"]


def test_another_organizations_export_is_a_404(client_for, charlie, lexware, org_a, bob, steps):
    document = make_invoice(lexware, org_a)
    fetch_document_files(client=lexware, document=document)
    export = exports.document_export_create(organization=org_a, user=bob, documents=[document])
    assert (
        client_for(charlie).get(f"/o/alpha/documents/files/exports/{export.code}/").status_code
        == 404
    )
    assert DocumentFile.objects.count() == 1


def test_finished_exports_are_pruned_after_the_keep_days(
    lexware, org_a, bob, sim, steps, settings
) -> None:
    from portal.files.storage import document_storage

    document = make_invoice(lexware, org_a)
    fetch_document_files(client=lexware, document=document)
    old = exports.document_export_create(organization=org_a, user=bob, documents=[document])
    fresh = exports.document_export_create(organization=org_a, user=bob, documents=[document])
    for export in (old, fresh):
        assert exports.export_step(export.pk) == "done"
    old.refresh_from_db()
    DocumentExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS + 1)
    )
    assert exports.export_prune() == 1
    assert list(DocumentExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not document_storage().exists(old.storage_name)
    assert DocumentFile.objects.filter(document=document).count() == 1  # the PDF stays
