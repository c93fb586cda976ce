"""Every action of issue 15's list leaves its audit event (a walk through them), with who,
organization, object and network, and no secret in it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.urls import reverse

from portal.accounts import services as account_services
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.recorder import Action
from portal.backoffice import services as backoffice_services
from portal.contacts.services import contact_create
from portal.operations.models import Operation, OperationState
from portal.organizations import services as org_services
from portal.organizations.models import Membership, Organization, Role
from tests.conftest import PASSWORD, enrol_totp

KEY = "audit-walk-test-key-0123456789abcd"


def _actions(**filters: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("pk")


def test_sign_in_failure_lock_out_and_sign_out(alice: User, client: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    login = reverse("accounts:login")
    client.post(login, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    failed = _last(Action.LOGIN_FAILED)
    assert failed.details == {"email": alice.email} and failed.ip_prefix == "203.0.113.0/24"
    assert "wrong" not in json.dumps(failed.details)
    client.post(login, {"username": alice.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    assert _actions(action=Action.LOCKED_OUT)
    client.post(login, {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert not _actions(action=Action.LOGIN)  # locked: no sign-in
    from axes.utils import reset

    reset()
    client.post(
        login, {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="2001:db8:1:2::5"
    )
    signed_in = _last(Action.LOGIN)
    assert signed_in.actor_id == alice.pk and signed_in.actor_label == alice.email
    assert signed_in.ip_prefix == "2001:db8:1::/48"
    client.post(reverse("accounts:logout"))
    assert _last(Action.LOGOUT).actor_id == alice.pk


def test_mfa_changes(alice: User, operator: User) -> None:
    device = account_services.totp_setup_start(user=alice)
    account_services.totp_setup_confirm(user=alice, device=device)
    account_services.recovery_codes_regenerate(user=alice)
    account_services.mfa_disable(user=alice)
    enrol_totp(alice)
    account_services.mfa_reset(operator=operator, user=alice)
    assert _actions(object_id=str(alice.pk)) == [
        Action.MFA_CODES_REGENERATED,  # enrolment makes the first codes
        Action.MFA_ENROLLED,
        Action.MFA_CODES_REGENERATED,
        Action.MFA_DISABLED,
        Action.MFA_CODES_REGENERATED,  # enrol_totp again, as the test helper does
        Action.MFA_RESET,
    ]
    reset = _last(Action.MFA_RESET)
    assert reset.actor_id == operator.pk and reset.actor_is_operator


def test_organization_roles_and_invitations(alice: User, bob: User, org_a: Organization) -> None:
    owner = Membership.objects.get(user=alice, organization=org_a)
    member = Membership.objects.get(user=bob, organization=org_a)
    org_services.membership_role_change(actor=owner, membership=member, role=Role.ADMIN)
    changed = _last(Action.ROLE_CHANGED)
    assert changed.details == {"from": "member", "to": "admin"}
    assert (changed.actor_id, changed.organization_id, changed.object_repr) == (
        alice.pk,
        org_a.pk,
        bob.email,
    )
    invitation, token = org_services.invitation_create(
        actor=owner, email="new@example.org", role=Role.VIEWER
    )
    org_services.invitation_revoke(actor=owner, invitation=invitation)
    again, token = org_services.invitation_create(
        actor=owner, email="new2@example.org", role=Role.VIEWER
    )
    org_services.invitation_accept(
        invitation=again, full_name="New Person", password="x-Very-long-pw-2026"
    )
    org_services.membership_remove(actor=owner, membership=member)
    org_services.organization_mfa_requirement_set(actor=owner, required=True)
    created = org_services.organization_create(user=alice, name="Gamma AG", slug="gamma")
    assert _actions(organization_id=org_a.pk) == [
        Action.ROLE_CHANGED,
        Action.INVITATION_CREATED,
        Action.INVITATION_REVOKED,
        Action.INVITATION_CREATED,
        Action.INVITATION_ACCEPTED,
        Action.MEMBER_REMOVED,
        Action.ORGANIZATION_MFA_REQUIREMENT,
    ]
    assert _actions(organization_id=created.pk) == [Action.ORGANIZATION_CREATED]
    assert token not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))


def test_key_saved_verified_rotated_rejected_removed(
    alice: User,
    org_a: Organization,
    sim: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(alice)
    save = reverse("connection:save", kwargs={"org_slug": org_a.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(save, {"api_key": KEY}, REMOTE_ADDR="192.0.2.77")
    sim.api_keys = {"some-other-key-entirely"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(save, {"api_key": KEY[::-1]})
    client.post(reverse("connection:disconnect", kwargs={"org_slug": org_a.slug}))
    assert _actions(organization_id=org_a.pk) == [
        Action.KEY_SAVED,
        Action.KEY_VERIFIED,
        Action.KEY_ROTATED,
        Action.KEY_REJECTED,
        Action.KEY_REMOVED,
    ]
    saved = _last(Action.KEY_SAVED)
    assert saved.actor_id == alice.pk and saved.ip_prefix == "192.0.2.0/24"
    assert saved.object_repr == "…" + KEY[-4:]
    everything = json.dumps(list(AuditEvent.objects.values("details", "object_repr", "object_id")))
    assert KEY not in everything and KEY[::-1] not in everything
    assert _last(Action.KEY_VERIFIED).operation.kind == "connection.verify"


def test_every_lexware_write_and_its_outcome(
    bob: User, org_a: Organization, sim: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.organizations.models import LexwareConnection
    from tests.portal.contacts.conftest import KEY as CONTACT_KEY

    LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(CONTACT_KEY),
        key_last_four=CONTACT_KEY[-4:],
        key_fingerprint=key_fingerprint(CONTACT_KEY),
        status="ok",
    )
    with django_capture_on_commit_callbacks(execute=True):
        operation = contact_create(
            organization=org_a,
            user=bob,
            data={"version": 0, "roles": {"customer": {}}, "company": {"name": "Audit GmbH"}},
        )
    operation.refresh_from_db()
    assert operation.state == OperationState.SUCCEEDED, operation.error_message
    events = AuditEvent.objects.filter(operation_id=operation.pk).order_by("pk")
    assert [e.action for e in events] == [Action.WRITE_STARTED, Action.WRITE_SUCCEEDED]
    assert all(e.actor_id == bob.pk and e.organization_id == org_a.pk for e in events)
    assert events.last().object_id == operation.target_id
    # Reads (a refresh, a sync) are not in the trail: they change nothing.
    assert not AuditEvent.objects.filter(details__kind="sync.full").exists()


def test_operator_actions(operator: User, org_a: Organization, alice: User, sim: Any) -> None:
    failed = Operation.objects.create(
        organization=org_a, kind="connection.verify", state=OperationState.FAILED
    )
    retry = backoffice_services.operation_retry(operator=operator, operation=failed)
    unknown = Operation.objects.create(
        organization=org_a, kind="contact.create", state=OperationState.UNKNOWN
    )
    created = uuid.uuid4()
    backoffice_services.operation_resolve(
        operator=operator,
        operation=unknown,
        outcome="succeeded",
        comment="Found it in Lexware by its name.",
        lexware_id=created,
    )
    backoffice_services.subscriptions_check(operator=operator, organization=org_a)
    operator_events = AuditEvent.objects.filter(
        actor_id=operator.pk, action__startswith="operator."
    ).order_by("pk")
    assert [e.action for e in operator_events] == [
        Action.OPERATION_RETRIED,
        Action.OPERATION_RESOLVED,
        Action.SUBSCRIPTIONS_CHECKED,
    ]
    assert all(e.actor_is_operator and e.organization_id == org_a.pk for e in operator_events)
    assert operator_events[0].details["new_operation"] == str(retry.code)
    resolved = operator_events[1]
    assert resolved.details["comment"] == "Found it in Lexware by its name."
    unknown.refresh_from_db()
    assert unknown.state == OperationState.SUCCEEDED and unknown.target_id == str(created)
    assert unknown.reconciliation["resolved_by"] == operator.email


def test_record_drops_secret_looking_keys(org_a: Organization) -> None:
    from portal.audit.recorder import record

    value = "secret-in-details"
    event = record(
        Action.EMAIL_SENT,
        organization=org_a,
        details={"api_key": value, "token": value, "nested": {"password": value}, "to": "x@y.z"},
    )
    assert value not in json.dumps(event.details) and event.details["to"] == "x@y.z"
    assert event.actor_id is None  # no request, no actor: the system


def test_every_action_is_recorded_somewhere() -> None:
    """No action of the list is only reserved: each is passed to record() by some code outside
    the recorder (the tests above and test_recorded_documents_out.py walk them)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "portal"
    used = set()
    for source in root.rglob("*.py"):
        if source.name == "recorder.py" and source.parent.name == "audit":
            continue
        used.update(re.findall(r"Action\.([A-Z_]+)", source.read_text()))
    assert sorted(set(Action.__members__) - used) == []
