"""Operations and webhooks across organizations (operators): lists, an operation's history,
retry a failed repeatable one, settle an unknown one with a required comment."""

from __future__ import annotations

import uuid
from typing import Any

from portal.accounts.models import User
from portal.audit.models import AuditEvent, LexwareCall
from portal.audit.recorder import Action
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization
from portal.sync.models import WebhookEvent


def test_the_list_shows_every_organization_and_filters(
    operator: User, org_a: Organization, org_b: Organization, client_for: Any
) -> None:
    Operation.objects.create(organization=org_a, kind="connection.verify", state="failed")
    Operation.objects.create(organization=org_b, kind="contact.create", state="unknown")
    client = client_for(operator)
    html = client.get("/backoffice/operations/").content.decode()
    assert "Alpha Werkstatt GmbH" in html and "Beta Handel KG" in html
    html = client.get("/backoffice/operations/", {"state": "unknown"}).content.decode()
    assert "Beta Handel KG" in html and "Alpha Werkstatt GmbH" not in html
    assert client.get("/backoffice/operations/", {"state": "nonsense"}).status_code == 200


def test_the_detail_shows_the_history_with_calls(
    operator: User, org_a: Organization, client_for: Any
) -> None:
    op = Operation.objects.create(
        organization=org_a,
        kind="contact.create",
        state="unknown",
        input={"contact": {"company": {"name": "Sichtbar GmbH"}}, "api_key": "never-shown"},
        reconciliation={"resource": "contacts", "checks": 2},
    )
    LexwareCall.objects.create(
        organization_id=org_a.pk,
        operation_id=op.pk,
        method="POST",
        path="/v1/contacts",
        status=503,
        duration_ms=812,
    )
    html = client_for(operator).get(f"/backoffice/operations/{op.code}/").content.decode()
    assert "Sichtbar GmbH" in html and "never-shown" not in html
    assert "POST /v1/contacts" in html and "503" in html and "812 ms" in html
    assert "&quot;checks&quot;: 2" in html and "Settle by hand" in html


def test_retry_makes_a_new_operation_only_for_failed_repeatable_ones(
    operator: User, org_a: Organization, client_for: Any
) -> None:
    client = client_for(operator)
    failed = Operation.objects.create(organization=org_a, kind="connection.verify", state="failed")
    response = client.post(f"/backoffice/operations/{failed.code}/retry/")
    retry = Operation.objects.exclude(pk=failed.pk).get(kind="connection.verify")
    assert response.status_code == 302 and str(retry.code) in response["Location"]
    assert retry.created_by == operator
    write = Operation.objects.create(organization=org_a, kind="contact.create", state="failed")
    client.post(f"/backoffice/operations/{write.code}/retry/")
    assert Operation.objects.filter(kind="contact.create").count() == 1  # a write is never re-sent


def test_settling_an_unknown_one_needs_a_comment(
    operator: User, org_a: Organization, client_for: Any
) -> None:
    client = client_for(operator)
    op = Operation.objects.create(organization=org_a, kind="contact.create", state="unknown")
    url = f"/backoffice/operations/{op.code}/resolve/"
    response = client.post(url, {"outcome": "failed", "comment": ""})
    assert response.status_code == 400 and "field--invalid" in response.content.decode()
    op.refresh_from_db()
    assert op.state == OperationState.UNKNOWN
    client.post(url, {"outcome": "failed", "comment": "Not in Lexware: searched by name."})
    op.refresh_from_db()
    assert op.state == OperationState.FAILED and "searched by name" in op.error_message
    event = AuditEvent.objects.get(action=Action.OPERATION_RESOLVED)
    assert event.actor_id == operator.pk and event.details["outcome"] == "failed"
    # Settled once: a second attempt changes nothing.
    client.post(url, {"outcome": "succeeded", "comment": "Changed my mind entirely."})
    op.refresh_from_db()
    assert op.state == OperationState.FAILED
    assert (
        client.post(
            url, {"outcome": "succeeded", "lexware_id": "not-a-uuid", "comment": "xxxxxx"}
        ).status_code
        == 400
    )


def test_the_webhook_log_shows_what_came_and_what_it_did(
    operator: User, org_a: Organization, client_for: Any
) -> None:
    WebhookEvent.objects.create(
        organization=org_a,
        lexware_organization_id=uuid.uuid4(),
        event_type="contact.changed",
        resource_id=str(uuid.uuid4()),
        event_date="2026-11-28T10:00:00.000+01:00",
        outcome="refresh queued",
    )
    client = client_for(operator)
    html = client.get("/backoffice/webhooks/").content.decode()
    assert "contact.changed" in html and "refresh queued" in html and "Alpha Werkstatt GmbH" in html
    assert (
        "contact.changed"
        not in client.get("/backoffice/webhooks/", {"event_type": "invoice"}).content.decode()
    )
