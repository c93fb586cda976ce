"""Sync status and event subscription pages (admins only)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.operations.models import Operation
from portal.organizations.models import Organization
from portal.sync.engine import STEP
from portal.sync.models import Subscription, SyncPart, WebhookEvent
from portal.sync.subscriptions import DELETE_ALL, ENSURE

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def url(name: str) -> str:
    return reverse(name, kwargs={"org_slug": "alpha"})


def part(
    org: Organization,
    name: str,
    status: str,
    done: int = 0,
    total: int | None = None,
    **fields: object,
) -> SyncPart:
    return SyncPart.objects.create(
        organization=org, name=name, status=status, done=done, total=total, **fields
    )


def test_status_shows_progress_and_polls_only_while_running(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    now = timezone.now()
    part(
        org_a,
        SyncPart.Name.CONTACTS,
        SyncPart.Status.DONE,
        400,
        400,
        api_calls=2,
        started_at=now - timedelta(minutes=2),
        finished_at=now - timedelta(minutes=1),
    )
    voucherlist = part(
        org_a,
        SyncPart.Name.VOUCHERLIST,
        SyncPart.Status.RUNNING,
        2500,
        10000,
        api_calls=10,
        started_at=now - timedelta(seconds=50),
        last_error="429 Too Many Requests",
    )
    client = client_for(cast["alice"])
    text = client.get(url("sync:status")).content.decode()
    assert 'value="25"' in text and "2500 / 10000" in text and "429 Too Many Requests" in text
    assert 'hx-trigger="every 2s"' in text
    partial = client.get(url("sync:status"), headers={"HX-Request": "true"}).content.decode()
    assert partial.strip().startswith('<section id="sync-parts"') and "every 2s" in partial
    voucherlist.status = SyncPart.Status.DONE
    voucherlist.finished_at = now
    voucherlist.save()
    assert (
        "every 2s"
        not in client.get(url("sync:status"), headers={"HX-Request": "true"}).content.decode()
    )


def test_status_lists_this_organizations_webhook_events_only(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization, org_b: Organization
) -> None:
    for org, resource in [(org_a, "ours-1"), (org_b, "theirs-1")]:
        WebhookEvent.objects.create(
            organization=org,
            lexware_organization_id=uuid.uuid4(),
            event_type="invoice.changed",
            resource_id=resource,
            event_date="2026-11-21",
        )
    text = client_for(cast["alice"]).get(url("sync:status")).content.decode()
    assert "ours-1" in text and "theirs-1" not in text


@pytest.mark.parametrize("name", ["sync:status", "sync:subscriptions"])
def test_sync_pages_are_for_admins(name: str, cast: dict[str, User], client_for: ClientFor) -> None:
    assert client_for(cast["alice"]).get(url(name)).status_code == 200
    assert client_for(cast["bob"]).get(url(name)).status_code == 403
    assert client_for(cast["charlie"]).get(url(name)).status_code == 404
    assert client_for(cast["alice"]).post(url(name)).status_code == 405


def test_sync_now_starts_one_full_sync(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    client = client_for(cast["alice"])
    assert client.get(url("sync:start")).status_code == 405
    assert client_for(cast["bob"]).post(url("sync:start")).status_code == 403
    response = client.post(url("sync:start"))
    assert response.status_code == 302 and response["Location"] == url("sync:status")
    client.post(url("sync:start"))  # already running: no second chain
    assert Operation.objects.filter(organization=org_a, kind=STEP).count() == 1
    assert SyncPart.objects.filter(organization=org_a).count() == 6


def test_subscriptions_page_lists_rows_and_callback_url(
    cast: dict[str, User],
    client_for: ClientFor,
    org_a: Organization,
    org_b: Organization,
    settings: object,
) -> None:
    Subscription.objects.create(
        organization=org_a,
        subscription_id=uuid.uuid4(),
        event_type="invoice.changed",
        callback_url="https://portal.example/hooks/lexware/",
    )
    Subscription.objects.create(
        organization=org_b,
        subscription_id=uuid.uuid4(),
        event_type="contact.changed",
        callback_url="https://portal.example/hooks/lexware/",
    )
    text = client_for(cast["alice"]).get(url("sync:subscriptions")).content.decode()
    assert "invoice.changed" in text and "contact.changed" not in text
    assert "/hooks/lexware/" in text


@pytest.mark.parametrize(
    ("name", "kind"),
    [("sync:subscriptions_delete", DELETE_ALL), ("sync:subscriptions_ensure", ENSURE)],
)
def test_subscription_buttons_queue_an_operation(
    name: str, kind: str, cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    assert client_for(cast["bob"]).post(url(name)).status_code == 403
    assert client_for(cast["alice"]).get(url(name)).status_code == 405
    response = client_for(cast["alice"]).post(url(name))
    assert response["Location"] == url("sync:subscriptions")
    operation = Operation.objects.get(organization=org_a, kind=kind)
    page = client_for(cast["alice"]).get(url("sync:subscriptions")).content.decode()
    assert str(operation.code) in page and "operation-finished from:body" in page
