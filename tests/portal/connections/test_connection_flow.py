"""The Lexware connection page (issue 2 §6): write-only key, verification in a task with
the outcome shown, re-verify and disconnect. Tasks run inline; Lexware is the simulator."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from django.urls import reverse

from portal.operations.models import Operation, OperationState
from portal.organizations.models import ConnectionStatus, LexwareConnection

KEY = "portal-test-key-0123456789abcdef"


def _save(client: Any, org_slug: str, key: str, *, htmx: bool = False, capture: Any) -> Any:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with capture(execute=True):
        return client.post(
            reverse("connection:save", kwargs={"org_slug": org_slug}), {"api_key": key}, **headers
        )


def test_saving_a_key_verifies_it_and_shows_the_company(
    client_for, alice, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    response = _save(client, org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    connection = LexwareConnection.objects.get(organization=org_a)
    tenant = sim.tenant_for_key(KEY)
    assert connection.status == ConnectionStatus.OK
    assert connection.company_name == tenant.company_name
    assert str(connection.lexware_organization_id) == tenant.organization_id
    assert str(connection.lexware_connection_id) == tenant.connection_id
    page = client.get(reverse("connection:detail", kwargs={"org_slug": org_a.slug}))
    html = page.content.decode()
    assert tenant.company_name in html and tenant.organization_id in html
    assert KEY not in html and KEY[-4:] in html
    assert Operation.objects.get(kind="connection.verify").state == OperationState.SUCCEEDED


def test_an_invalid_key_is_reported(
    client_for, alice, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    """reliability.md K7: Lexware answers 401: the connection is marked invalid and the operation fails without retrying."""
    sim.api_keys = {"some-other-key-entirely"}
    _save(client_for(alice), org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    connection = LexwareConnection.objects.get(organization=org_a)
    assert connection.status == ConnectionStatus.INVALID_KEY
    op = Operation.objects.get(kind="connection.verify")
    assert op.state == OperationState.FAILED and "401" in op.error_message


def test_an_unreachable_lexware_is_reported_with_the_reason(
    client_for, alice, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    from lexware.simulator.faults import Fault

    sim.faults.add(KEY, Fault(kind="503", ratio=1.0))
    _save(client_for(alice), org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    connection = LexwareConnection.objects.get(organization=org_a)
    assert connection.status == ConnectionStatus.UNREACHABLE
    assert "503" in connection.status_detail or "Server" in connection.status_detail


def test_missing_permissions_are_reported(
    client_for, alice, org_a, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    # Lexware answers 403 when the key's scopes do not cover an endpoint (§1.2); the simulator
    # does not model scopes, so this one answer comes from a stand-in for Lexware's HTTP side.
    forbidden = httpx.MockTransport(
        lambda request: httpx.Response(403, json={"message": "Forbidden"})
    )
    monkeypatch.setattr("portal.operations.clients._transport", lambda: forbidden)
    _save(client_for(alice), org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    assert LexwareConnection.objects.get(organization=org_a).status == ConnectionStatus.FORBIDDEN


def test_the_htmx_save_swaps_the_panel_and_polls_the_job(client_for, alice, org_a, sim) -> None:
    # Without running the task: the panel shows the queued operation that polls itself.
    client = client_for(alice)
    response = client.post(
        reverse("connection:save", kwargs={"org_slug": org_a.slug}),
        {"api_key": KEY},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="connection-panel"' in html and "<html" not in html
    op = Operation.objects.get(kind="connection.verify")
    assert reverse("operations:status", kwargs={"org_slug": org_a.slug, "code": op.code}) in html
    status = client.get(
        reverse("operations:status", kwargs={"org_slug": org_a.slug, "code": op.code})
    )
    assert status.status_code == 200 and 'hx-trigger="every 1s"' in status.content.decode()


def test_the_status_fragment_stops_polling_when_done(
    client_for, alice, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    _save(client, org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    op = Operation.objects.get(kind="connection.verify")
    status = client.get(
        reverse("operations:status", kwargs={"org_slug": org_a.slug, "code": op.code})
    )
    assert status.status_code == 286  # htmx: stop polling
    assert "operation-finished" in status["HX-Trigger"]


@pytest.mark.parametrize(
    "value",
    [
        "",
        "short",
        "x" * 201,
        "has spaces in it 1234",
        "<script>alert(1)</script>xx",
        "ключ-" * 5,
        "abc\x00defghijklmnopq",
    ],
)
def test_bad_keys_get_a_field_error_and_nothing_is_saved(client_for, alice, org_a, value) -> None:
    response = client_for(alice).post(
        reverse("connection:save", kwargs={"org_slug": org_a.slug}), {"api_key": value}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not LexwareConnection.objects.exists()
    assert not Operation.objects.exists()


def test_reverify_and_disconnect(
    client_for, alice, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    """reliability.md K7: a key can be verified again (after re-entry) and disconnected."""
    client = client_for(alice)
    _save(client, org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("connection:verify", kwargs={"org_slug": org_a.slug}))
    assert (
        Operation.objects.filter(kind="connection.verify", state=OperationState.SUCCEEDED).count()
        == 2
    )
    client.post(reverse("connection:disconnect", kwargs={"org_slug": org_a.slug}))
    assert not LexwareConnection.objects.filter(organization=org_a).exists()


def test_the_key_never_reaches_logs_or_task_arguments(
    client_for, alice, org_a, sim, caplog, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    """K4: a canary key appears in no log record and in no task message."""
    sent: list[Any] = []
    from portal.operations import tasks

    original = tasks.run_operation.apply_async
    monkeypatch.setattr(
        tasks.run_operation,
        "apply_async",
        lambda *args, **kw: (sent.append((args, kw)), original(*args, **kw))[1],
    )
    caplog.set_level(logging.DEBUG)
    sim.api_keys = {"some-other-key-entirely"}  # a failing verify logs the most
    _save(client_for(alice), org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    assert sent and all(KEY not in repr(call) for call in sent)
    assert KEY not in caplog.text
    assert KEY not in repr(Operation.objects.get(kind="connection.verify").__dict__)


def test_admins_see_a_banner_when_the_key_was_revoked(client_for, alice, bob, org_a) -> None:
    """reliability.md K7: staff are told to re-enter a revoked key (admins only)."""
    from portal.core import crypto

    LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint="0" * 16,
        status=ConnectionStatus.REVOKED,
        status_detail="Lexware reported that the API key was revoked.",
    )
    dashboard = reverse("dashboard:index", kwargs={"org_slug": org_a.slug})
    admin_page = client_for(alice).get(dashboard).content.decode()
    assert 'role="alert"' in admin_page and "revoked" in admin_page
    assert reverse("connection:detail", kwargs={"org_slug": org_a.slug}) in admin_page
    member_page = client_for(bob).get(dashboard).content.decode()
    assert "Lexware reported that the API key was revoked." not in member_page


def test_a_finished_create_links_to_its_result(client_for, alice, org_a) -> None:
    import uuid

    contact_id = str(uuid.uuid4())
    op = Operation.objects.create(
        organization=org_a,
        kind="contact.create",
        target_type="contact",
        target_id=contact_id,
        state=OperationState.SUCCEEDED,
    )
    html = (
        client_for(alice)
        .get(reverse("operations:status", kwargs={"org_slug": org_a.slug, "code": op.code}))
        .content.decode()
    )
    assert (
        reverse("contacts:detail", kwargs={"org_slug": org_a.slug, "lexware_id": contact_id})
        in html
    )


def test_one_lexware_organization_connects_to_one_portal_organization(
    client_for, alice, charlie, org_a, org_b, sim, django_capture_on_commit_callbacks
) -> None:
    """Webhooks name only Lexware's organization id: a second portal organization connecting the
    same Lexware account is refused (issue 16 item 6), so events never reach the wrong mirror."""
    _save(client_for(alice), org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    assert LexwareConnection.objects.get(organization=org_a).status == ConnectionStatus.OK

    other_key_same_account = KEY  # a second key of the same Lexware organization
    _save(
        client_for(charlie),
        org_b.slug,
        other_key_same_account,
        capture=django_capture_on_commit_callbacks,
    )

    taken = LexwareConnection.objects.get(organization=org_b)
    assert taken.status == ConnectionStatus.TAKEN and taken.lexware_organization_id is None
    verify = Operation.objects.filter(organization=org_b, kind="connection.verify").get()
    assert verify.state == OperationState.FAILED and "another organization" in verify.error_message
    assert not Operation.objects.filter(organization=org_b, kind__startswith="sync.").exists()
    # The first organization is untouched and keeps receiving its events.
    assert LexwareConnection.objects.get(organization=org_a).status == ConnectionStatus.OK


def test_the_database_refuses_a_second_connection_to_one_lexware_organization(org_a, org_b) -> None:
    from django.db import IntegrityError, transaction

    from portal.core import crypto

    lexware_org = "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c"
    for organization in (org_a, org_b):
        try:
            with transaction.atomic():
                LexwareConnection.objects.create(
                    organization=organization,
                    encrypted_api_key=crypto.encrypt("k" * 20),
                    key_last_four="kkkk",
                    key_fingerprint="f" * 16,
                    status=ConnectionStatus.OK,
                    lexware_organization_id=lexware_org,
                )
        except IntegrityError:
            assert organization == org_b
            return
    raise AssertionError("two portal organizations share one Lexware organization")


def test_the_finished_status_does_not_link_to_the_page_it_is_on(
    client_for, alice, org_a, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    _save(client, org_a.slug, KEY, capture=django_capture_on_commit_callbacks)
    op = Operation.objects.get(kind="connection.verify")
    page_url = reverse("connection:detail", kwargs={"org_slug": org_a.slug})
    status_url = reverse("operations:status", kwargs={"org_slug": org_a.slug, "code": op.code})
    on_page = client.get(
        status_url, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{page_url}"}
    )
    elsewhere = client.get(
        status_url,
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/o/alpha/operations/"},
    )
    assert f'href="{page_url}"' not in on_page.content.decode()
    assert f'href="{page_url}"' in elsewhere.content.decode()
    assert (
        f'href="{page_url}"'
        not in client.get(page_url)
        .content.decode()
        .split("job-status", 1)[-1]
        .split("</div>", 1)[0]
    )
