"""Findings of benchmarks.sync: SYNC_FULL_INCLUDES_DETAILS=False stops a full sync after the
lists, and the voucherlist walk continues past a window whose totalElements is capped (§4)."""

from __future__ import annotations

from portal.documents.models import Document
from portal.operations.models import Operation, OperationState
from portal.sync.models import SyncPart
from portal.sync.services import sync_start


def test_a_full_sync_without_details_lists_everything_and_fetches_no_document(
    sim, demo_key, connected, django_capture_on_commit_callbacks, settings
) -> None:
    settings.SYNC_FULL_INCLUDES_DETAILS = False
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)

    assert not Operation.objects.filter(state=OperationState.FAILED).exists()
    parts = dict(
        SyncPart.objects.filter(organization=connected.organization).values_list("name", "status")
    )
    assert SyncPart.Name.DETAILS not in parts
    assert parts[SyncPart.Name.VOUCHERLIST] == SyncPart.Status.DONE
    documents = Document.objects.filter(organization=connected.organization)
    assert documents.exists()
    assert not documents.filter(details_synced_at__isnull=False).exists()


def test_the_walk_goes_on_after_the_last_page_of_a_capped_window(
    sim, demo_key, connected, django_capture_on_commit_callbacks, settings, monkeypatch
) -> None:
    """The simulator caps totalElements like Lexware, so a full window's last page says `last`."""
    import lexware.simulator.paging as paging
    import portal.sync.engine as engine

    monkeypatch.setattr(paging, "SEARCH_WINDOW", 100)
    monkeypatch.setattr(engine, "SEARCH_WINDOW", 100)
    monkeypatch.setattr(engine, "PAGE_SIZE", 25)
    settings.SYNC_FULL_INCLUDES_DETAILS = False
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)

    tenant = sim.tenant_for_key(demo_key)
    listed = [d for d in tenant.sales.values() if d.get("_type") != "dunning"]
    assert len(listed) + len(tenant.vouchers) > 100
    assert Document.objects.filter(organization=connected.organization).count() == len(
        listed
    ) + len(tenant.vouchers)
