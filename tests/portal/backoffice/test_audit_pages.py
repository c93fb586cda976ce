"""The audit trail's pages: an organization's admins see only their organization's events,
operators everyone's; filters and CSV export (itself audited, formula cells quoted)."""

from __future__ import annotations

import csv
import io
from typing import Any

from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.recorder import Action, record
from portal.organizations.models import Organization


def _events(alice: User, charlie: User, org_a: Organization, org_b: Organization) -> None:
    record(Action.ROLE_CHANGED, actor=alice, organization=org_a, object_repr="bob@example.org")
    record(Action.KEY_SAVED, actor=alice, organization=org_a, object_repr="=HYPERLINK(1)")
    record(
        Action.INVITATION_CREATED, actor=charlie, organization=org_b, object_repr="beta-only@x.org"
    )


def test_admins_see_their_own_organization_only(
    alice: User,
    dave: User,
    charlie: User,
    org_a: Organization,
    org_b: Organization,
    client_for: Any,
) -> None:
    _events(alice, charlie, org_a, org_b)
    for user in (alice, dave):
        html = client_for(user).get("/o/alpha/audit/").content.decode()
        assert "bob@example.org" in html and "Role changed" in html
        assert "beta-only@x.org" not in html
    html = client_for(charlie).get("/o/beta/audit/").content.decode()
    assert "beta-only@x.org" in html and "bob@example.org" not in html


def test_members_and_viewers_are_refused(bob: User, carol: User, client_for: Any) -> None:
    assert client_for(bob).get("/o/alpha/audit/").status_code == 403
    assert client_for(carol).get("/o/alpha/audit/export.csv").status_code == 403


def test_operators_see_everyone_and_filter(
    alice: User,
    charlie: User,
    operator: User,
    org_a: Organization,
    org_b: Organization,
    client_for: Any,
) -> None:
    _events(alice, charlie, org_a, org_b)
    client = client_for(operator)
    html = client.get("/backoffice/audit/").content.decode()
    assert "bob@example.org" in html and "beta-only@x.org" in html
    html = client.get("/backoffice/audit/", {"organization": "Beta"}).content.decode()
    assert "beta-only@x.org" in html and "bob@example.org" not in html
    html = client.get("/backoffice/audit/", {"action": "member"}).content.decode()
    assert "bob@example.org" in html and "beta-only@x.org" not in html
    html = client.get("/backoffice/audit/", {"actor": "charlie"}).content.decode()
    assert "beta-only@x.org" in html and "bob@example.org" not in html
    # A bad date is ignored (the form says so), never a 500.
    assert client.get("/backoffice/audit/", {"since": "tomorrow"}).status_code == 200


def test_csv_export_is_scoped_quoted_and_audited(
    alice: User, charlie: User, org_a: Organization, org_b: Organization, client_for: Any
) -> None:
    _events(alice, charlie, org_a, org_b)
    response = client_for(alice).get("/o/alpha/audit/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # The export is itself in the trail (recorded before the rows are written), and so is
    # alice's own sign-in (a member's).
    assert {row["action"] for row in rows} == {
        Action.ROLE_CHANGED,
        Action.KEY_SAVED,
        Action.AUDIT_EXPORTED,
        Action.LOGIN,
    }
    assert {row["object"] for row in rows} == {"bob@example.org", "'=HYPERLINK(1)", ""}
    exported = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
    assert exported.actor_id == alice.pk and exported.organization_id == org_a.pk


def test_admins_see_their_members_sign_ins_but_not_outsiders(
    alice: User, bob: User, charlie: User, org_a: Organization, client_for: Any
) -> None:
    record(Action.LOGIN, actor=bob, ip_prefix="192.0.2.0/24")
    record(Action.LOGIN_FAILED, system=True, details={"email": "bob@example.org"})
    record(Action.LOGIN, actor=charlie, ip_prefix="198.51.100.0/24")
    html = client_for(alice).get("/o/alpha/audit/", {"action": "auth"}).content.decode()
    assert "192.0.2.0/24" in html and "198.51.100.0/24" not in html
    # A failure names no account for sure (anyone can type any address): not shown here.
    assert "Sign-in failed" not in html.split("<tbody>")[1]
