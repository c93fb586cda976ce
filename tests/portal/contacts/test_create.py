"""New contact, end to end through the write path (DESIGN.md §7, issue 8 item 4): the form,
one Operation per rendered form, the job status, the contact's page; Lexware's 406 back on the
form's fields; Lexware unreachable → the input waits and the form reopens from it.

In-process simulator and SQLite: runs on a laptop. Celery is eager; the task is enqueued on
commit, so the worker's part runs when `django_capture_on_commit_callbacks(execute=True)` ends,
after the response: the response shows the queued operation, as a user would see it first.
"""

from __future__ import annotations

import re
import socket
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.contacts.models import Contact
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from tests.portal.contacts.conftest import KEY

NEW = "/o/alpha/contacts/new/"


def _billing(street: str, zip_code: str, city: str, country: str) -> dict[str, str]:
    """One billing address row as the form's row set sends it."""
    return {
        "billing-TOTAL_FORMS": "1",
        "billing-INITIAL_FORMS": "0",
        "billing-0-street": street,
        "billing-0-zip": zip_code,
        "billing-0-city": city,
        "billing-0-country_code": country,
    }


COMPANY = {
    "kind": "company",
    "company_name": "Hafenkontor Sommer GmbH",
    "email_business": "info@hafenkontor.example",
    **_billing("Hafenweg 3", "20457", "Hamburg", "DE"),
    "roles": ["customer"],
}
PERSON = {
    "kind": "person",
    "salutation": "Frau",
    "first_name": "Jana",
    "last_name": "Sommer",
    "email_business": "jana@sommer.example",
    **_billing("Lindenallee 7", "50667", "Köln", "de"),
    "roles": ["customer", "vendor"],
}


def _token(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries no idempotency token"
    return match.group(1)


def _rendered_form(client: Client, url: str = NEW) -> dict[str, str]:
    """What a browser sends along from a freshly rendered form: its hidden fields."""
    html = client.get(url).content.decode()
    return {"idempotency_key": _token(html)}


def _status_url(op: Operation) -> str:
    return reverse("contacts:create_status", kwargs={"org_slug": "alpha", "code": op.code})


def _posts(since: float) -> list[dict[str, Any]]:
    from portal.operations.clients import in_process_simulator

    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] == "POST" and r["path"].startswith("/v1/contacts")
    ]


def _field_errors(html: str, field: str) -> str:
    """The error list rendered right after the field's widget ({% form_field %})."""
    match = re.search(
        rf'<ul class="field__errors errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S
    )
    return match.group(1) if match else ""


# ---------------------------------------------------------------- success


def test_a_company_is_created_end_to_end(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**_rendered_form(client), **COMPANY})
    op = Operation.objects.get(kind="contact.create")
    assert response.status_code == 302 and response["Location"] == _status_url(
        op
    )  # no JS: the status page
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.created_by == bob
    contact = Contact.objects.get(organization=connected.organization, lexware_id=op.target_id)
    assert (
        contact.name == "Hafenkontor Sommer GmbH" and contact.is_customer and not contact.is_vendor
    )
    assert contact.email == "info@hafenkontor.example" and contact.city == "Hamburg"
    sent = sim.tenant_for_key(KEY).contacts[op.target_id]
    assert sent["company"] == {"name": "Hafenkontor Sommer GmbH"}
    assert sent["addresses"]["billing"] == [
        {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
    ]
    assert len(_posts(since)) == 1
    detail = reverse(
        "contacts:detail", kwargs={"org_slug": "alpha", "lexware_id": contact.lexware_id}
    )
    # The status page sends the user to the contact; the job-status fragment links to it.
    page = client.get(_status_url(op))
    assert page.status_code == 302 and page["Location"] == detail
    fragment = client.get(
        reverse("operations:status", kwargs={"org_slug": "alpha", "code": op.code})
    )
    assert fragment.status_code == 286 and f'href="{detail}"' in fragment.content.decode()
    assert client.get(detail).status_code == 200


def test_a_person_is_created_through_htmx(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NEW, {**_rendered_form(client), **PERSON}, headers={"HX-Request": "true"}
        )
    html = response.content.decode()
    op = Operation.objects.get(kind="contact.create")
    # The form region is swapped for the status, which asks again when the job has finished.
    assert response.status_code == 200 and "<html" not in html
    assert 'id="write-region"' in html and f'hx-get="{_status_url(op)}"' in html
    assert 'hx-trigger="operation-finished from:body"' in html
    assert response["HX-Push-Url"] == _status_url(op)  # a reload shows the job, not an empty form
    assert reverse("operations:status", kwargs={"org_slug": "alpha", "code": op.code}) in html
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    sent = sim.tenant_for_key(KEY).contacts[op.target_id]
    assert sent["person"] == {"salutation": "Frau", "firstName": "Jana", "lastName": "Sommer"}
    assert sent["emailAddresses"] == {"business": ["jana@sommer.example"]}
    assert sent["addresses"]["billing"][0]["countryCode"] == "DE"  # normalised by the form
    assert set(sent["roles"]) == {"customer", "vendor"}
    contact = Contact.objects.get(lexware_id=op.target_id)
    assert contact.name == "Jana Sommer" and not contact.is_company and contact.is_vendor
    finished = client.get(_status_url(op), headers={"HX-Request": "true"})
    detail = reverse(
        "contacts:detail", kwargs={"org_slug": "alpha", "lexware_id": contact.lexware_id}
    )
    assert finished["HX-Redirect"] == detail


def test_a_double_submit_makes_one_operation_and_one_post(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = {**_rendered_form(client), **COMPANY}
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(NEW, data, headers={"HX-Request": "true"})
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(NEW, data, headers={"HX-Request": "true"})
    assert first.status_code == 200 and second.status_code == 200
    assert Operation.objects.filter(kind="contact.create").count() == 1
    assert second["HX-Redirect"]  # the second answer is the first operation's outcome
    assert len(_posts(since)) == 1
    assert len(sim.tenant_for_key(KEY).contacts) == 1


def test_every_rendered_form_has_its_own_token(client_for, bob, connected) -> None:
    client = client_for(bob)
    assert _rendered_form(client) != _rendered_form(client)


# ---------------------------------------------------------------- Lexware says no


def test_lexwares_406_is_shown_next_to_the_field_with_the_input_kept(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    """ "XX" passes the form (two letters) but Lexware does not know the country: its 406 names
    `countryCode` (lexware-api.md Appendix B), which the form maps to its country field."""
    client = client_for(bob)
    sent_token = _rendered_form(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            NEW,
            {**sent_token, **COMPANY, "billing-0-country_code": "XX"},
            headers={"HX-Request": "true"},
        )
    op = Operation.objects.get(kind="contact.create")
    assert op.state == OperationState.FAILED
    assert "countryCode" in op.field_errors
    assert not sim.tenant_for_key(KEY).contacts
    for headers in ({"HX-Request": "true"}, {}):
        response = client.get(_status_url(op), headers=headers)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Lexware" in _field_errors(html, "billing-0-country_code")
        assert (
            'value="XX"' in html
            and 'value="Hafenkontor Sommer GmbH"' in html
            and 'value="Hafenweg 3"' in html
        )
        assert _token(html) != sent_token["idempotency_key"]  # correcting it is a new submission
    # Corrected and sent again: a second operation that succeeds.
    corrected = {"idempotency_key": _token(html), **COMPANY, "billing-0-country_code": "AT"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, corrected)
    assert (
        Operation.objects.filter(kind="contact.create", state=OperationState.SUCCEEDED).count() == 1
    )
    assert len(sim.tenant_for_key(KEY).contacts) == 1


def test_a_503_on_the_create_is_checked_in_lexware_and_then_reopens_the_form(
    client_for, bob, connected, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    """A 5xx answer to a POST may mean it was executed: never re-sent. The reconciler looks for
    the contact, does not find it, and the operation fails; the input is kept for a deliberate
    resubmission."""
    sim.faults.add(KEY, Fault("503", count=50, method="POST", path_prefix="/v1/contacts"))
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**_rendered_form(client), **COMPANY})
    op = Operation.objects.get(kind="contact.create")
    assert op.state == OperationState.FAILED and op.reconciliation["found"] is None
    assert len(_posts(since)) == 1
    html = client.get(_status_url(op)).content.decode()
    assert "Please check in Lexware" in html and 'value="Hafenkontor Sommer GmbH"' in html


# ---------------------------------------------------------------- Lexware unreachable


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def lexware_unreachable(settings: Any) -> None:
    """Nothing listens where Lexware should be: every request is refused before it is sent."""
    settings.LEXWARE_IN_PROCESS_SIMULATOR = False
    settings.LEXWARE_BASE_URL = f"http://127.0.0.1:{_closed_port()}"


def _lexware_back(settings: Any) -> None:
    settings.LEXWARE_IN_PROCESS_SIMULATOR = True
    settings.LEXWARE_BASE_URL = "https://api.lexware.io"


def _run_again(op: Operation) -> Operation:
    """What the delayed retry task does once its delay is over."""
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    op.refresh_from_db()
    return op


def test_while_lexware_is_down_the_input_waits_and_the_form_reopens_from_it(
    client_for,
    bob,
    carol,
    connected,
    sim,
    lexware_unreachable,
    no_follow_up,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**_rendered_form(client), **PERSON})
    op = Operation.objects.get(kind="contact.create")
    assert op.state == OperationState.PENDING and "temporarily unavailable" in op.error_message
    # The status says it is waiting and offers to edit the input; a viewer gets no such link.
    edit = f"{NEW}?from={op.code}"
    status = client.get(_status_url(op)).content.decode()
    assert "temporarily unavailable" in status and f'href="{edit}"' in status
    # Without JavaScript the status page reloads itself.
    assert '<meta http-equiv="refresh"' in status
    fragment = reverse("operations:status", kwargs={"org_slug": "alpha", "code": op.code})
    assert f'href="{edit}"' not in client_for(carol).get(fragment).content.decode()
    # Reopened: every typed value is there, with a fresh token and the waiting one to replace.
    html = client.get(edit).content.decode()
    for value in (
        "Frau",
        "Jana",
        "Sommer",
        "jana@sommer.example",
        "Lindenallee 7",
        "50667",
        "Köln",
        'value="DE"',
    ):
        assert value in html, value
    assert re.search(r'value="person"[^>]*checked', html) and re.search(
        r'value="vendor"[^>]*checked', html
    )
    assert f'name="replaces" value="{op.code}"' in html
    # Corrected and sent: the waiting one is withdrawn, so Lexware gets one contact.
    corrected = {
        "idempotency_key": _token(html),
        "replaces": str(op.code),
        **PERSON,
        "first_name": "Janine",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, corrected)
    op.refresh_from_db()
    assert op.state == OperationState.FAILED and "Replaced" in op.error_message
    _lexware_back(settings)
    newer = Operation.objects.exclude(pk=op.pk).get(kind="contact.create")
    assert (
        _run_again(op).state == OperationState.FAILED
    )  # a late retry of the withdrawn one does nothing
    assert _run_again(newer).state == OperationState.SUCCEEDED, newer.error_message
    contacts = list(sim.tenant_for_key(KEY).contacts.values())
    assert [c["person"]["firstName"] for c in contacts] == ["Janine"]


def test_a_write_under_way_cannot_be_replaced(client_for, bob, connected, sim) -> None:
    client = client_for(bob)
    running = Operation.objects.create(
        organization=connected.organization,
        kind="contact.create",
        state=OperationState.RUNNING,
        input={"contact": {"company": {"name": "X"}}},
    )
    response = client.post(
        NEW, {**_rendered_form(client), **COMPANY, "replaces": str(running.code)}
    )
    assert response.status_code == 200
    assert "can no longer be replaced" in response.content.decode()
    assert Operation.objects.filter(kind="contact.create").count() == 1


def test_the_form_reopens_only_from_this_organizations_contact_operations(
    client_for, bob, connected, org_b, charlie
) -> None:
    client = client_for(bob)
    foreign = Operation.objects.create(
        organization=org_b, kind="contact.create", input={"contact": {}}
    )
    other_kind = Operation.objects.create(
        organization=connected.organization, kind="connection.verify"
    )
    for code in (foreign.code, other_kind.code, "not-a-uuid"):
        assert client.get(f"{NEW}?from={code}").status_code == 404
        assert client.get(f"{NEW}?from={code}", headers={"HX-Request": "true"}).status_code == 404
    assert (
        client.get(
            reverse("contacts:create_status", kwargs={"org_slug": "alpha", "code": foreign.code})
        ).status_code
        == 404
    )


# ---------------------------------------------------------------- local validation and the list


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company_name": ""}, "company_name"),
        ({"kind": "person", "last_name": ""}, "last_name"),
        ({"roles": []}, "roles"),
        ({"email_business": "no-at-sign.example"}, "email_business"),
        ({"email_office": "someone@localhost"}, "email_office"),  # Django takes it, Lexware not
        ({"billing-0-country_code": "D1"}, "billing-0-country_code"),
        ({"billing-0-country_code": ""}, "billing-0-country_code"),
        ({"kind": "person", "last_name": "Sommer", "salutation": "S" * 26}, "salutation"),
        ({"company_name": "x" * 251}, "company_name"),
        ({"billing-0-city": "Köln\r\nBcc: x@example.org"}, "billing-0-city"),
    ],
)
def test_local_validation_keeps_the_input_and_starts_nothing(
    client_for, bob, connected, change, field
) -> None:
    client = client_for(bob)
    response = client.post(
        NEW, {**_rendered_form(client), **COMPANY, **change}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert _field_errors(html, field), html
    assert not Operation.objects.exists()


def test_the_fields_of_the_other_kind_are_not_sent(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            NEW, {**_rendered_form(client), **COMPANY, "last_name": "Sommer", "first_name": "Jana"}
        )
    body = Operation.objects.get().input["contact"]
    assert "person" not in body and body["company"] == {"name": "Hafenkontor Sommer GmbH"}


def test_the_list_offers_new_contact_to_members_only(
    client_for, alice, bob, carol, connected
) -> None:
    url = reverse("contacts:list", kwargs={"org_slug": "alpha"})
    for user, sees in ((alice, True), (bob, True), (carol, False)):
        assert (f'href="{NEW}"' in client_for(user).get(url).content.decode()) is sees, user
