"""End to end through real processes: verify a key, get subscriptions and a full sync, then
see a contact created directly in Lexware (the simulator) arrive through its webhook."""

from __future__ import annotations

import time
from typing import Any

import pytest

from portal.accounts.models import User
from portal.connections.services import connection_save
from portal.contacts.models import Contact
from portal.operations.models import Operation, OperationState
from portal.organizations.models import (
    ConnectionStatus,
    LexwareConnection,
    Membership,
    Organization,
    Role,
)
from portal.sync.models import Subscription, SyncPart, WebhookEvent
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]


def _operations(organization: Organization) -> list[tuple[str, str, str]]:
    return list(
        Operation.objects.filter(organization=organization).values_list(
            "kind", "state", "error_message"
        )
    )


def test_a_contact_created_in_lexware_reaches_the_portal_through_its_webhook(
    live_server: Any, simulator: Any, real_broker: str, start_worker: Any, settings: Any
) -> None:
    hook_url = f"{live_server.url}/hooks/lexware/"
    settings.LEXWARE_WEBHOOK_PUBLIC_KEY = simulator.public_key()
    settings.LEXWARE_WEBHOOK_URL = hook_url
    start_worker(broker=real_broker, concurrency=2, LEXWARE_WEBHOOK_URL=hook_url)

    owner = User.objects.create_user("owner@live.example", "pw-live-123456")
    organization = Organization.objects.create(name="Live GmbH", slug="live")
    Membership.objects.create(user=owner, organization=organization, role=Role.OWNER)
    api_key = "live-flow-key-0000000001"
    simulator.control("POST", "seed", json={"apiKey": api_key, "mode": "demo"})

    connection_save(organization=organization, user=owner, api_key=api_key)
    connection = wait_until(
        lambda: LexwareConnection.objects.filter(
            organization=organization, status=ConnectionStatus.OK
        ).first(),
        timeout=30,
        what="the connection to be verified",
    )
    assert connection.company_name
    wait_until(
        lambda: Subscription.objects.filter(organization=organization).count() >= 40,
        timeout=90,
        what=lambda: f"the webhook subscriptions; operations: {_operations(organization)}",
    )
    wait_until(
        lambda: SyncPart.objects.filter(
            organization=organization, name="contacts", status="done"
        ).exists(),
        timeout=120,
        what="the contacts part of the full sync",
    )
    synced_contacts = Contact.objects.filter(organization=organization).count()
    assert synced_contacts >= 50

    created = simulator.api(
        "POST",
        "contacts",
        api_key,
        json={
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": "Webhook Neukunde GmbH"},
        },
    )
    assert created.status_code in (200, 201), created.text
    contact_id = created.json()["id"]
    started = time.monotonic()
    row = wait_until(
        lambda: Contact.objects.filter(organization=organization, lexware_id=contact_id).first(),
        timeout=20,
        what="the new contact in the mirror",
    )
    elapsed = time.monotonic() - started
    assert row.name == "Webhook Neukunde GmbH"
    assert (
        WebhookEvent.objects.filter(
            organization=organization, event_type="contact.created", resource_id=contact_id
        ).count()
        == 1
    )
    print(f"webhook round trip: {elapsed:.2f} s")  # shown with -s; the closing note quotes it
    assert elapsed < 20
    assert not Operation.objects.filter(
        organization=organization, state=OperationState.FAILED
    ).exists()
