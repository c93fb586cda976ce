"""Full sync, reconciliation and subscriptions against the in-process simulator, with tasks
run inline (the reliability suite runs the same code in a real worker)."""

from __future__ import annotations

from typing import Any

from portal.articles.models import Article
from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.operations.models import Operation, OperationState
from portal.reference.models import ReferenceItem
from portal.sync.engine import PAGE_SIZE
from portal.sync.models import Subscription, SyncPart
from portal.sync.services import subscriptions_ensure, sync_reconcile, sync_start
from portal.sync.subscriptions import event_types


def _api_calls(sim: Any, key: str) -> list[dict[str, Any]]:
    from lexware import key_fingerprint

    return sim.requests_since(None, key_fingerprint(key))


def test_a_full_sync_mirrors_everything_the_simulator_holds(
    sim, demo_key, connected, django_capture_on_commit_callbacks
) -> None:
    tenant = sim.tenant_for_key(demo_key)
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)

    failed = Operation.objects.filter(state=OperationState.FAILED).values_list(
        "kind", "error_message"
    )
    assert not failed, list(failed)
    parts = {p.name: p for p in SyncPart.objects.filter(organization=connected.organization)}
    assert {name: part.status for name, part in parts.items()} == dict.fromkeys(parts, "done")
    assert Contact.objects.filter(organization=connected.organization).count() == len(
        tenant.contacts
    )
    assert Article.objects.filter(organization=connected.organization).count() == len(
        tenant.articles
    )
    listed = [d for d in tenant.sales.values() if d.get("_type") != "dunning"]
    assert Document.objects.filter(organization=connected.organization).count() == len(
        listed
    ) + len(tenant.vouchers)
    assert ReferenceItem.objects.filter(
        organization=connected.organization, kind="country"
    ).count() == len(tenant.countries)
    # Every listed document got its details in the background part.
    assert not Document.objects.filter(
        organization=connected.organization, details_synced_at__isnull=True
    ).exists()


def test_the_voucherlist_part_uses_close_to_the_minimum_of_calls(
    sim, demo_key, connected, django_capture_on_commit_callbacks, settings
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)
    part = SyncPart.objects.get(organization=connected.organization, name="voucherlist")
    minimum = -(-part.done // PAGE_SIZE)
    assert part.api_calls <= minimum + 1


def test_the_search_window_is_walked_by_voucher_date(
    sim, connected, demo_key, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """With a tiny window the walk must still return every row exactly once (§4)."""
    import portal.sync.engine as engine

    monkeypatch.setattr(engine, "SEARCH_WINDOW", 100)
    monkeypatch.setattr(engine, "PAGE_SIZE", 25)
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)
    tenant = sim.tenant_for_key(demo_key)
    listed = [d for d in tenant.sales.values() if d.get("_type") != "dunning"]
    assert Document.objects.filter(organization=connected.organization).count() == len(
        listed
    ) + len(tenant.vouchers)


def test_reconciliation_picks_up_changes_made_while_webhooks_were_missed(
    sim, demo_key, connected, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)
    from portal.operations.clients import client_for_key

    with client_for_key(demo_key) as client:
        contact_id = next(
            c.id
            for c in client.contacts.list(size=250).content
            if c.roles and c.roles.customer is not None
        )
        created = client.invoices.create(
            {
                "voucherDate": "2026-11-20T00:00:00.000+01:00",
                "address": {"contactId": contact_id},
                "lineItems": [
                    {
                        "type": "custom",
                        "name": "Nachtrag",
                        "quantity": 1,
                        "unitName": "Stück",
                        "unitPrice": {"currency": "EUR", "netAmount": 100, "taxRatePercentage": 19},
                    }
                ],
                "totalPrice": {"currency": "EUR"},
                "taxConditions": {"taxType": "net"},
                "shippingConditions": {"shippingType": "none"},
            },
            finalize=True,
        )
    assert not Document.objects.filter(lexware_id=created.id).exists()
    with django_capture_on_commit_callbacks(execute=True):
        sync_reconcile(organization=connected.organization)
    document = Document.objects.get(organization=connected.organization, lexware_id=created.id)
    assert document.total_amount == 119


def test_subscriptions_are_created_once_per_event_type(
    sim, demo_key, connected, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        op = subscriptions_ensure(organization=connected.organization)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert Subscription.objects.filter(organization=connected.organization).count() == len(
        event_types()
    )
    with django_capture_on_commit_callbacks(execute=True):
        op2 = subscriptions_ensure(organization=connected.organization)
    op2.refresh_from_db()
    assert op2.result["created"] == 0
    assert len(sim.tenant_for_key(demo_key).subscriptions) == len(event_types())


def test_prefetching_across_short_steps_requests_only_pages_it_uses(
    sim, demo_key, connected, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """Fetching overlaps writing (issue 18): the next page is requested while one is written,
    but never one the step will not use: every voucherlist call Lexware saw is counted, and
    the walk over many short steps and tiny windows still mirrors every row once."""
    import time

    import portal.sync.engine as engine
    from lexware import key_fingerprint

    monkeypatch.setattr(engine, "STEP_CALLS", 3)
    monkeypatch.setattr(engine, "SEARCH_WINDOW", 100)
    monkeypatch.setattr(engine, "PAGE_SIZE", 25)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        sync_start(organization=connected.organization)
    part = SyncPart.objects.get(organization=connected.organization, name="voucherlist")
    listed = [
        r
        for r in sim.requests_since(since, key_fingerprint(demo_key))
        if r["path"] == "/v1/voucherlist"
    ]
    assert part.status == SyncPart.Status.DONE
    assert len(listed) == part.api_calls
    tenant = sim.tenant_for_key(demo_key)
    expected = len([d for d in tenant.sales.values() if d.get("_type") != "dunning"]) + len(
        tenant.vouchers
    )
    assert Document.objects.filter(organization=connected.organization).count() == expected
    assert part.write_seconds > 0
