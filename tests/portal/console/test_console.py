"""The API console (issue 15 item 5): who may call what, input checked before a worker sees
it, calls run as operations through the runner against the simulator, the answer shown
without secrets, every call in the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from portal.audit.models import AuditEvent
from portal.audit.recorder import Action
from portal.console.answers import MAX_SHOWN, answer
from portal.console.services import CONSOLE_CALL, CONSOLE_READ
from portal.core import crypto
from portal.operations.models import Operation, OperationState
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "console-test-key-000000000000abcd"


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


def _url(name: str, org: Organization) -> str:
    return reverse(f"console:{name}", kwargs={"org_slug": org.slug})


def _token(client: Any, org: Organization) -> str:
    page = client.get(_url("index", org))
    return str(page.context["form"].initial["token"])


def _post(client: Any, org: Organization, **data: Any) -> Any:
    fields = {"method": "GET", "path": "/v1/profile", "query": "", "body": ""}
    fields.update(data)
    fields.setdefault("token", _token(client, org))
    return client.post(_url("run", org), fields)


def test_admin_gets_the_profile_through_a_worker(
    dave: Any,
    connected: LexwareConnection,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(dave)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, connected.organization)
    # The page only started an operation; nothing was called yet.
    operation = Operation.objects.get(kind=CONSOLE_READ)
    assert response.status_code == 302 and str(operation.code) in response["Location"]
    assert operation.state == OperationState.PENDING and operation.lane == "interactive"
    assert len(callbacks) == 1
    callbacks[0]()  # the worker runs it (eager Celery in tests)
    operation.refresh_from_db()
    assert operation.state == OperationState.SUCCEEDED, operation.error_message
    shown = operation.result["answer"]
    assert shown["status"] == 200 and shown["is_json"]
    assert '"organizationId"' in shown["body"]
    names = [name for name, _value in shown["headers"]]
    assert "content-type" in names and "authorization" not in names
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"organizationId" in page.content and KEY.encode() not in page.content
    events = AuditEvent.objects.filter(operation_id=operation.pk).order_by("pk")
    assert [e.action for e in events] == [Action.CONSOLE_CALL, Action.CONSOLE_ANSWERED]
    assert all(e.actor_id == dave.pk for e in events)
    assert events[0].details["path"] == "/v1/profile" and events[1].details["status"] == 200


def test_a_lexware_error_is_the_answer_shown(
    alice: Any,
    connected: LexwareConnection,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _post(
            client, connected.organization, path="/v1/contacts/00000000-0000-0000-0000-000000000000"
        )
    operation = Operation.objects.get(kind=CONSOLE_READ)
    assert operation.state == OperationState.SUCCEEDED
    assert operation.result["answer"]["status"] == 404


@pytest.mark.parametrize("who", ["bob", "carol"])
def test_members_and_viewers_cannot_open_it(
    who: str, cast: dict[str, Any], connected: LexwareConnection, client_for: Any
) -> None:
    client = client_for(cast[who])
    assert client.get(_url("index", connected.organization)).status_code == 403
    response = client.post(_url("run", connected.organization), {"method": "GET"})
    assert response.status_code == 403
    assert not Operation.objects.filter(kind__startswith="console.").exists()


def test_admins_cannot_send_a_change(
    dave: Any, connected: LexwareConnection, client_for: Any
) -> None:
    client = client_for(dave)
    page = client.get(_url("index", connected.organization))
    assert b'value="POST"' not in page.content and b'name="body"' not in page.content
    response = _post(
        client,
        connected.organization,
        method="POST",
        path="/v1/contacts",
        body="{}",
        confirmed="on",
    )
    assert response.status_code == 200
    assert "method" in response.context["form"].errors
    assert not Operation.objects.filter(kind__startswith="console.").exists()


def test_owner_changes_only_after_confirming(
    alice: Any,
    connected: LexwareConnection,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(alice)
    org = connected.organization
    body = '{"version": 0, "roles": {"customer": {}}, "company": {"name": "Konsole GmbH"}}'
    token = _token(client, org)
    first = _post(client, org, method="POST", path="/v1/contacts", body=body, token=token)
    assert first.status_code == 200 and first.context["confirm"] is True
    assert "Send this change to Lexware?" in first.content.decode()
    assert not Operation.objects.filter(kind=CONSOLE_CALL).exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = _post(
            client, org, method="POST", path="/v1/contacts", body=body, token=token, confirmed="on"
        )
        # The same rendered form sent twice: one call.
        _post(
            client, org, method="POST", path="/v1/contacts", body=body, token=token, confirmed="on"
        )
    assert second.status_code == 302
    operation = Operation.objects.get(kind=CONSOLE_CALL)
    assert operation.state == OperationState.SUCCEEDED, operation.error_message
    assert operation.result["answer"]["status"] in (200, 201)
    assert operation.written_at is not None
    actions = list(
        AuditEvent.objects.filter(operation_id=operation.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        Action.WRITE_STARTED,
        Action.CONSOLE_CALL,
        Action.CONSOLE_ANSWERED,
        Action.WRITE_SUCCEEDED,
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"path": "https://evil.example/v1/profile"}, "path"),
        ({"path": "//evil.example/v1/profile"}, "path"),
        ({"path": "/v1/../admin"}, "path"),
        ({"path": "/v1/contacts/%2e%2e/x"}, "path"),
        ({"path": "/v2/profile"}, "path"),
        ({"path": "/v1/profile?x=1"}, "path"),
        ({"path": "/v1//profile"}, "path"),
        ({"path": "/v1/profile\x00"}, "path"),
        ({"path": "/v1/" + "a" * 400}, "path"),
        ({"query": "a=1&&b"}, "query"),
        ({"query": "<script>=1"}, "query"),
        ({"method": "TRACE"}, "method"),
        ({"method": "POST", "body": "{not json"}, "body"),
        ({"method": "POST", "body": "42"}, "body"),
        ({"method": "GET", "body": "{}"}, "body"),
        ({"token": "x"}, "token"),
    ],
)
def test_bad_input_is_refused_with_field_errors(
    alice: Any, connected: LexwareConnection, client_for: Any, fields: dict[str, str], field: str
) -> None:
    client = client_for(alice)
    response = _post(client, connected.organization, **fields)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not Operation.objects.filter(kind__startswith="console.").exists()


def test_another_organizations_call_is_not_shown(
    alice: Any, charlie: Any, connected: LexwareConnection, org_b: Organization, client_for: Any
) -> None:
    theirs = Operation.objects.create(
        organization=org_b,
        kind=CONSOLE_READ,
        input={"method": "GET", "path": "/v1/profile", "query": {}},
        result={"answer": {"status": 200, "body": "secret-of-b", "headers": []}},
        state=OperationState.SUCCEEDED,
    )
    page = client_for(alice).get(_url("index", connected.organization) + f"?op={theirs.code}")
    assert page.status_code == 200 and b"secret-of-b" not in page.content
    junk = client_for(alice).get(_url("index", connected.organization) + "?op=not-a-uuid")
    assert junk.status_code == 200


def test_the_answer_hides_secret_headers_and_cuts_huge_bodies() -> None:
    shown = answer(
        status=200,
        headers={
            "Authorization": "Bearer x",
            "Set-Cookie": "s=1",
            "X-Session-Token": "t",
            "Content-Type": "application/json",
        },
        content=b'{"a": "' + b"x" * (MAX_SHOWN + 10) + b'"}',
    )
    assert [name for name, _ in shown["headers"]] == ["content-type"]
    assert shown["truncated"] and len(shown["body"]) == MAX_SHOWN
    binary = answer(
        status=200, headers={"Content-Type": "application/pdf"}, content=b"%PDF\x00\x01"
    )
    assert binary["binary"] and binary["body"] == ""
