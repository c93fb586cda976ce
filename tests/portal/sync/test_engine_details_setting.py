"""SYNC_FULL_INCLUDES_DETAILS=False: a full sync stops after the lists (benchmarks.sync)."""

from __future__ import annotations

from portal.documents.models import Document
from portal.operations.models import Operation, OperationState
from portal.sync.engine import full_sync_start
from portal.sync.models import SyncPart


def test_a_full_sync_without_details_lists_everything_and_fetches_no_document(
    sim, demo_key, connected, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SYNC_FULL_INCLUDES_DETAILS = False
    with django_capture_on_commit_callbacks(execute=True):
        full_sync_start(organization=connected.organization)

    assert not Operation.objects.filter(state=OperationState.FAILED).exists()
    parts = dict(SyncPart.objects.filter(organization=connected.organization).values_list("name", "status"))
    assert SyncPart.Name.DETAILS not in parts
    assert parts[SyncPart.Name.VOUCHERLIST] == SyncPart.Status.DONE
    documents = Document.objects.filter(organization=connected.organization)
    assert documents.exists()
    assert not documents.filter(details_synced_at__isnull=False).exists()
