"""Editing a contact: read-merge-put with the version (DESIGN.md §7, lexware-api.md §3, issue 10
item 3). The form is rendered from the mirror; what the user sends is merged over Lexware's
current record (fields the form does not show are kept); a change made in Lexware meanwhile to a
field the user changed shows both versions and lets the user choose.

In-process simulator, eager Celery: the worker's part runs when the on-commit callbacks run.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.contacts.models import Contact
from portal.contacts.services import contact_create
from portal.operations import runner
from portal.operations.models import Operation, OperationState
from tests.portal.contacts.conftest import KEY
from tests.portal.contacts.formdata import form_data


def _edit_url(contact_id: str) -> str:
    return reverse("contacts:edit", kwargs={"org_slug": "alpha", "lexware_id": contact_id})


def _writes(since: float) -> list[dict[str, Any]]:
    from portal.operations.clients import in_process_simulator

    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] in ("POST", "PUT")
    ]


@pytest.fixture
def contact_id(connected, sim, django_capture_on_commit_callbacks) -> str:
    """A company in Lexware and the mirror, with fields the contact form does not know."""
    with django_capture_on_commit_callbacks(execute=True):
        op = contact_create(
            organization=connected.organization,
            user=None,
            data={
                "roles": {"customer": {}},
                "company": {"name": "Werft Möller GmbH", "taxNumber": "22/815/08150"},
                "emailAddresses": {"business": ["info@werft.example"]},
                "addresses": {
                    "billing": [
                        {"street": "Kai 1", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
                    ]
                },
                "note": "Rahmenvertrag 2026",
            },
        )
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    stored = sim.tenant_for_key(KEY).contacts[op.target_id]
    # Something Lexware holds that no form of ours shows (a newer API field).
    stored["company"]["customerGroup"] = "Werften"
    Contact.objects.filter(lexware_id=op.target_id).update(
        raw={**Contact.objects.get(lexware_id=op.target_id).raw, "company": dict(stored["company"])}
    )
    return str(op.target_id)


def _change_in_lexware(sim: Any, contact_id: str, **changes: Any) -> None:
    """Someone edits the contact in Lexware's web app: new values, version + 1."""
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    for path, value in changes.items():
        target = stored
        *parents, last = path.split("__")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    stored["version"] += 1


def _save(client, contact_id: str, captured, **changes: Any) -> Any:
    data = form_data(client.get(_edit_url(contact_id)).content.decode())
    data.update(changes)
    with captured(execute=True):
        response = client.post(_edit_url(contact_id), data)
    return response, data


def test_an_edit_keeps_what_the_form_does_not_show(
    client_for, bob, contact_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    since = time.time()
    response, _data = _save(
        client, contact_id, django_capture_on_commit_callbacks, company_name="Werft Möller & Co. KG"
    )
    op = Operation.objects.get(kind="contact.update")
    assert response.status_code == 302, response.content.decode()[:2000]
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.created_by == bob and op.input["lexware_id"] == contact_id
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    assert stored["company"]["name"] == "Werft Möller & Co. KG"
    assert stored["company"]["customerGroup"] == "Werften"  # unknown to the form: kept
    assert stored["company"]["taxNumber"] == "22/815/08150"
    assert stored["note"] == "Rahmenvertrag 2026"
    assert stored["version"] == 2
    assert [w["method"] for w in _writes(since)] == ["PUT"]
    contact = Contact.objects.get(lexware_id=contact_id)
    assert contact.name == "Werft Möller & Co. KG" and contact.version == 2
    detail = reverse("contacts:detail", kwargs={"org_slug": "alpha", "lexware_id": contact_id})
    assert client.get(response["Location"])["Location"] == detail


def test_a_change_in_lexware_to_another_field_is_kept(
    client_for, bob, contact_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = form_data(client.get(_edit_url(contact_id)).content.decode())
    _change_in_lexware(sim, contact_id, note="Neu in Lexware")
    data["company_name"] = "Werft Möller Neu GmbH"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(contact_id), data)
    op = Operation.objects.get(kind="contact.update")
    assert op.state == OperationState.SUCCEEDED, op.error_message
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    assert stored["company"]["name"] == "Werft Möller Neu GmbH"
    assert stored["note"] == "Neu in Lexware" and stored["version"] == 3


def test_a_conflict_shows_both_versions_and_keep_mine_applies_the_input(
    client_for, bob, contact_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    since = time.time()
    data = form_data(client.get(_edit_url(contact_id)).content.decode())
    _change_in_lexware(sim, contact_id, company__name="Werft Möller (Lexware)")
    data["company_name"] = "Werft Möller (Portal)"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_edit_url(contact_id), data)
    op = Operation.objects.get(kind="contact.update")
    assert op.state == OperationState.FAILED and op.conflict is not None
    assert op.conflict["remote"]["company"]["name"] == "Werft Möller (Lexware)"
    assert "company.name" in op.conflict["paths"]
    assert _writes(since) == []  # no PUT over someone else's change
    assert op.input["contact"]["company"]["name"] == "Werft Möller (Portal)"  # input kept
    page = client.get(response["Location"]).content.decode()
    assert "Werft Möller (Portal)" in page and "Werft Möller (Lexware)" in page
    assert "Keep mine" in page and "Take Lexware’s" in page
    assert 'class="conflict-row--differs"' in page
    # The mirror has Lexware's version now ("take Lexware's" opens it).
    assert Contact.objects.get(lexware_id=contact_id).version == 2

    keep_mine = client.get(op.edit_url()).content.decode()
    reopened = form_data(keep_mine)
    assert reopened["company_name"] == "Werft Möller (Portal)"
    assert reopened["base_version"] == "2"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(contact_id), reopened)
    again = Operation.objects.filter(kind="contact.update").exclude(pk=op.pk).get()
    assert again.state == OperationState.SUCCEEDED, again.error_message
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    assert stored["company"]["name"] == "Werft Möller (Portal)" and stored["version"] == 3
    assert stored["company"]["customerGroup"] == "Werften"


def test_take_lexwares_opens_the_form_on_the_current_record(
    client_for, bob, contact_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = form_data(client.get(_edit_url(contact_id)).content.decode())
    _change_in_lexware(sim, contact_id, company__name="Werft Möller (Lexware)")
    data["company_name"] = "Werft Möller (Portal)"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(contact_id), data)
    theirs = form_data(client.get(_edit_url(contact_id)).content.decode())
    assert theirs["company_name"] == "Werft Möller (Lexware)" and theirs["base_version"] == "2"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(contact_id), {**theirs, "company_name": "Werft Möller Final"})
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    assert stored["company"]["name"] == "Werft Möller Final" and stored["version"] == 3


def test_an_edit_waits_through_an_outage_with_its_input(
    client_for, bob, contact_id, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    sim.faults.add(KEY, Fault("503", count=50))
    response, _ = _save(
        client, contact_id, django_capture_on_commit_callbacks, company_name="Werft im Sturm"
    )
    op = Operation.objects.get(kind="contact.update")
    assert op.state == OperationState.PENDING and op.written_at is None
    reopened = form_data(client.get(op.edit_url()).content.decode())
    assert reopened["company_name"] == "Werft im Sturm" and reopened["replaces"] == str(op.code)
    sim.faults.clear(KEY)
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert sim.tenant_for_key(KEY).contacts[contact_id]["company"]["name"] == "Werft im Sturm"


def test_a_put_with_unknown_outcome_is_adopted_not_resent(
    connected, contact_id, sim, no_follow_up, monkeypatch
) -> None:
    """The PUT reached Lexware but its answer was lost (504): the next attempt reads the record,
    finds our change in a newer version and adopts it; no second PUT."""
    from portal.contacts.services import contact_update

    since = time.time()
    op = contact_update(
        organization=connected.organization,
        user=None,
        lexware_id=contact_id,
        data={"company": {"name": "Werft Möller Adopt"}},
        base_version=1,
    )
    sim.faults.add(KEY, Fault("504", count=10, method="PUT"))
    runner.execute(op.pk)
    op.refresh_from_db()
    assert op.state in (OperationState.PENDING, OperationState.UNKNOWN), op.error_message
    sim.faults.clear(KEY)
    if op.state == OperationState.UNKNOWN:
        runner.reconcile(op.pk)
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.result.get("adopted") is True
    puts = [w for w in _writes(since) if w["method"] == "PUT"]
    assert sum(1 for w in puts if w["status"] < 300 or w["status"] == 504) >= 1
    assert sim.tenant_for_key(KEY).contacts[contact_id]["version"] == 2  # applied once


def test_edit_pages_of_another_record_or_kind_are_404(
    client_for, bob, contact_id, connected
) -> None:
    client = client_for(bob)
    other = Operation.objects.create(organization=connected.organization, kind="contact.create")
    url = _edit_url(contact_id)
    assert client.get(f"{url}?from={other.code}").status_code == 404
    assert client.get(f"{url}?from=junk").status_code == 404
    status = reverse(
        "contacts:edit_status",
        kwargs={"org_slug": "alpha", "lexware_id": contact_id, "code": other.code},
    )
    assert client.get(status).status_code == 404


def test_a_stale_version_answer_to_the_put_is_a_conflict(
    connected, contact_id, sim, no_follow_up, monkeypatch
) -> None:
    """Someone saves in Lexware between our GET and our PUT: Lexware refuses the stale version
    (contacts: 406 on `version`, others 409) and the user gets the conflict view, not a
    failure; there is no second PUT."""
    from lexware.resources.contacts import Contacts
    from portal.contacts.services import contact_update

    original = Contacts._get_json
    calls: list[str] = []

    def get_then_someone_saves(self: Contacts, path: str, **kwargs: Any) -> Any:
        record = original(self, path, **kwargs)
        if not calls:
            _change_in_lexware(sim, contact_id, company__name="Schneller GmbH")
        calls.append(path)
        return record

    monkeypatch.setattr(Contacts, "_get_json", get_then_someone_saves)
    since = time.time()
    op = contact_update(
        organization=connected.organization,
        user=None,
        lexware_id=contact_id,
        data={"company": {"name": "Langsamer GmbH"}},
        base_version=1,
    )
    runner.execute(op.pk)
    op.refresh_from_db()
    assert op.state == OperationState.FAILED and op.conflict, op.error_message
    assert op.conflict["remote"]["company"]["name"] == "Schneller GmbH"
    assert [w["method"] for w in _writes(since)] == ["PUT"]
    assert sim.tenant_for_key(KEY).contacts[contact_id]["company"]["name"] == "Schneller GmbH"


def test_an_edit_clears_emptied_fields_and_removes_a_role(
    client_for, bob, contact_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    assert stored["note"] and stored["emailAddresses"]["business"]
    response, _ = _save(
        client,
        contact_id,
        django_capture_on_commit_callbacks,
        note="",
        email_business="",
        phone_mobile="0170 1234567",
        roles=["vendor"],
        **{
            "persons-TOTAL_FORMS": "1",
            "persons-0-last_name": "Sommer",
            "persons-0-first_name": "Jana",
            "persons-0-primary": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = sim.tenant_for_key(KEY).contacts[contact_id]
    assert not stored.get("note")
    assert not (stored.get("emailAddresses") or {}).get("business")
    assert stored["phoneNumbers"]["mobile"] == ["0170 1234567"]
    assert set(stored["roles"]) == {"vendor"}
    assert stored["company"]["contactPersons"] == [
        {"firstName": "Jana", "lastName": "Sommer", "primary": True}
    ]
    assert stored["company"]["customerGroup"] == "Werften"


def test_a_contact_with_several_entries_is_not_offered_for_editing(
    client_for, bob, contact_id, sim
) -> None:
    """§5.5: Lexware rejects every PUT of a contact that has more than one entry in a list
    (edited in the web app); the page says so and offers Lexware instead of a form."""
    contact = Contact.objects.get(lexware_id=contact_id)
    raw = dict(contact.raw)
    raw["emailAddresses"] = {"business": ["a@werft.example", "b@werft.example"]}
    Contact.objects.filter(pk=contact.pk).update(raw=raw)
    client = client_for(bob)
    html = client.get(_edit_url(contact_id)).content.decode()
    assert "Lexware refuses every change" in html and 'name="idempotency_key"' not in html
    assert client.post(_edit_url(contact_id), {"company_name": "X"}).status_code == 200
    assert not Operation.objects.filter(kind="contact.update").exists()


def test_the_edit_button_is_for_members_only(client_for, alice, bob, carol, contact_id) -> None:
    detail = reverse("contacts:detail", kwargs={"org_slug": "alpha", "lexware_id": contact_id})
    for user, sees in ((alice, True), (bob, True), (carol, False)):
        html = client_for(user).get(detail).content.decode()
        assert (f'href="{_edit_url(contact_id)}"' in html) is sees, user
    assert client_for(carol).get(_edit_url(contact_id)).status_code == 403
    assert client_for(carol).post(_edit_url(contact_id), {}).status_code == 403
