"""Support access (issue 15 item 4): an operator opens an organization "as" a viewer with a
reason; read-only, time-limited, and in the organization's audit trail with every page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from portal.accounts.models import User
from portal.audit.models import AuditEvent, SupportSession
from portal.audit.recorder import Action
from portal.organizations.models import Organization

START = "/backoffice/organizations/alpha/support/"


def test_without_a_session_the_organization_stays_hidden(operator: User, client_for: Any) -> None:
    assert client_for(operator).get("/o/alpha/").status_code == 404


def test_a_reason_is_required(operator: User, org_a: Organization, client_for: Any) -> None:
    response = client_for(operator).post(START, {"reason": "  "})
    assert response.status_code == 400 and "field--invalid" in response.content.decode()
    assert not SupportSession.objects.exists()


def test_read_only_view_in_the_owners_audit_trail(
    operator: User, alice: User, org_a: Organization, client_for: Any
) -> None:
    client = client_for(operator)
    response = client.post(START, {"reason": "Ticket 4711: invoice list looks empty"})
    assert response.status_code == 302 and response["Location"] == "/o/alpha/"
    assert client.get("/o/alpha/").status_code == 200
    assert client.get("/o/alpha/contacts/").status_code == 200
    # Viewer pages only, and no write whatever the URL.
    assert client.get("/o/alpha/connection/").status_code == 403
    assert client.post("/o/alpha/contacts/new/", {}).status_code == 403
    assert client.post("/o/alpha/members/leave/").status_code == 403
    assert client.get("/o/beta/").status_code == 404  # only the organization asked for
    seen = AuditEvent.objects.filter(action=Action.SUPPORT_PAGE_VIEWED).values_list(
        "details__path", flat=True
    )
    assert {"/o/alpha/", "/o/alpha/contacts/"} <= set(seen)
    html = client_for(alice).get("/o/alpha/audit/").content.decode()
    assert "Support access started" in html and "Ticket 4711" in html
    assert "/o/alpha/contacts/" in html and "operator@example.org" in html


def test_it_ends_by_hand_and_by_time(operator: User, org_a: Organization, client_for: Any) -> None:
    client = client_for(operator)
    client.post(START, {"reason": "Ticket 4712: check the sync page"})
    session = SupportSession.objects.get()
    assert client.post(f"/backoffice/support/{session.pk}/end/").status_code == 302
    assert client.get("/o/alpha/").status_code == 404
    assert AuditEvent.objects.filter(action=Action.SUPPORT_ENDED).count() == 1
    client.post(START, {"reason": "Ticket 4713: once more, please"})
    SupportSession.objects.filter(ended_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/o/alpha/").status_code == 404


def test_an_operator_session_without_mfa_goes_to_the_code_first(
    operator: User, org_a: Organization, client_for: Any
) -> None:
    client_for(operator).post(START, {"reason": "Ticket 4714: started with MFA"})
    unverified = client_for(operator, mfa_verified=False)
    assert unverified.get("/o/alpha/").status_code == 302
