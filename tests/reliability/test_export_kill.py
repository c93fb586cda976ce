"""Bulk export through real processes (issue 12 item 5): the worker building the ZIP is killed
with SIGKILL mid-build (main process and pool child at once: nothing is requeued, no cleanup);
the sweeper notices the stale heartbeat, a new worker builds again from the top, and the ZIP
in storage has every file exactly once."""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import pytest

from portal.documents.models import Document
from portal.files import exports
from portal.files.models import DocumentExport, ExportState
from portal.files.storage import document_storage, store_file
from portal.organizations.models import Organization
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

FILES = 120


def _documents(organization: Organization) -> list[Document]:
    made = []
    for number in range(FILES):
        document = Document.objects.create(
            organization=organization,
            lexware_id=f"00000000-0000-4000-8000-{number:012d}",
            voucher_type="invoice",
            voucher_number=f"RE-{number:04d}",
            status="open",
            version=1,
        )
        # Incompressible bodies of 400 KiB: the build takes long enough to be killed inside it.
        store_file(
            document=document, version=1, kind="pdf", content=b"%PDF-1.4\n" + os.urandom(400_000)
        )
        made.append(document)
    return made


def test_a_sigkilled_build_is_rebuilt_and_the_zip_has_every_file_once(
    simulator: Any, real_broker: str, start_worker: Any, settings: Any
) -> None:
    settings.EXPORT_LEASE_SECONDS = 3
    organization = Organization.objects.create(name="Export GmbH", slug="export")
    documents = _documents(organization)
    first = start_worker(broker=real_broker, concurrency=1, EXPORT_LEASE_SECONDS="3")
    export = exports.document_export_create(
        organization=organization, user=None, documents=documents
    )
    wait_until(
        lambda: DocumentExport.objects.filter(
            pk=export.pk, state=ExportState.BUILDING, added__gte=25
        ).exists(),
        timeout=120,
        what="the build to be under way",
    )
    first.kill_all()
    export.refresh_from_db()
    assert export.state == ExportState.BUILDING and export.added < FILES, "killed too late"
    assert export.worker_token  # the dead worker's lease, never released
    start_worker(broker=real_broker, concurrency=1, EXPORT_LEASE_SECONDS="3")
    # What beat runs every 30 s: after the lease has run out, the build is enqueued again.
    wait_until(lambda: exports.export_sweep() > 0, timeout=30, what="the lease to run out")
    wait_until(
        lambda: DocumentExport.objects.filter(pk=export.pk, state=ExportState.DONE).exists(),
        timeout=180,
        what="the rebuilt ZIP",
    )
    export.refresh_from_db()
    assert export.builds == 2 and export.added == FILES
    with document_storage().open(export.storage_name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert len(names) == len(set(names)) == FILES
    assert sorted(names) == sorted(f"Rechnung-RE-{n:04d}.pdf" for n in range(FILES)) or sorted(
        names
    ) == sorted(f"Invoice-RE-{n:04d}.pdf" for n in range(FILES))
    assert archive.testzip() is None
