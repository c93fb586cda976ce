"""The audit trail cannot be changed: not by the model, not by a queryset, not by the admin,
not by SQL (PostgreSQL trigger, migration audit 0002)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from portal.accounts.models import User
from portal.audit.models import AppendOnlyError, AuditEvent
from portal.audit.recorder import Action, record
from portal.organizations.models import Organization


@pytest.fixture
def event(alice: User, org_a: Organization) -> AuditEvent:
    return record(Action.ROLE_CHANGED, actor=alice, organization=org_a, object_id="7")


def test_the_model_refuses_to_change_or_delete(event: AuditEvent) -> None:
    event.action = Action.LOGIN
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.ROLE_CHANGED


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(event: AuditEvent, statement: str) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.ROLE_CHANGED


def test_the_admin_only_reads(event: AuditEvent, operator: User, client_for: Any) -> None:
    operator.is_superuser = True
    operator.save()
    client = client_for(operator)
    base = "/backoffice/admin/audit/auditevent/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"{base}{event.pk}/change/", {"action": "forged"}).status_code == 403
    assert client.get(f"{base}{event.pk}/delete/").status_code == 403
    assert client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    bulk = client.post(base, {"action": "delete_selected", "_selected_action": [event.pk]})
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk, action=Action.ROLE_CHANGED).exists()


def test_no_page_offers_to_change_an_event(
    event: AuditEvent, alice: User, operator: User, client_for: Any
) -> None:
    for client, url in (
        (client_for(alice), "/o/alpha/audit/"),
        (client_for(operator), "/backoffice/audit/"),
    ):
        html = client.get(url).content.decode()
        assert "Role changed" in html
        assert 'method="post"' not in html.split('<main id="main"')[1].split("</main>")[0]
