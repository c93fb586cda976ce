"""Contact create and edit end to end through real processes (issue 10 items 1 and 3): the
pages in this process, a real Celery worker on Redis, the simulator served over HTTP. Someone
changes the contact in Lexware between the edit form's rendering and its saving: the user sees
both versions, keeps theirs, and every field the form does not show survives."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from portal.contacts.models import Contact
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Membership, Role
from tests.portal.contacts.formdata import form_data
from tests.reliability.rig import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]


def _finished(operation: Operation) -> Operation:
    def done() -> Operation | None:
        operation.refresh_from_db()
        return operation if operation.is_finished else None

    return wait_until(done, timeout=60, what=lambda: f"{operation} to finish")


def test_a_contact_is_created_then_edited_over_a_change_in_lexware(
    simulator: Any,
    real_broker: str,
    start_worker: Any,
    connected_org: Any,
    client_for: Any,
    django_user_model: Any,
) -> None:
    organization, api_key = connected_org
    start_worker(broker=real_broker)
    bob = django_user_model.objects.create_user("bob@live.example", "pw-live-123456")
    Membership.objects.create(user=bob, organization=organization, role=Role.MEMBER)
    client = client_for(bob)
    slug = organization.slug

    # Create: a company with a contact person, billing and shipping address, XRechnung.
    new = reverse("contacts:create", kwargs={"org_slug": slug})
    data = form_data(client.get(new).content.decode())
    data.update(
        {
            "company_name": "Stadtwerke Livestadt",
            "vat_id": "DE123456789",
            "roles": "customer",
            "persons-TOTAL_FORMS": "1",
            "persons-0-first_name": "Jana",
            "persons-0-last_name": "Sommer",
            "persons-0-email": "jana@livestadt.example",
            "billing-0-street": "Rathausplatz 1",
            "billing-0-zip": "80331",
            "billing-0-city": "München",
            "shipping-TOTAL_FORMS": "1",
            "shipping-0-street": "Lagerweg 9",
            "shipping-0-zip": "80339",
            "shipping-0-city": "München",
            "shipping-0-country_code": "DE",
            "email_business": "info@livestadt.example",
            "buyer_reference": "04011000-1234512345-06",
            "vendor_number_at_customer": "K-4711",
        }
    )
    assert client.post(new, data).status_code == 302
    created = _finished(Operation.objects.get(organization=organization, kind="contact.create"))
    assert created.state == OperationState.SUCCEEDED, created.error_message
    contact_id = created.target_id
    record = simulator.api("GET", f"contacts/{contact_id}", api_key).json()
    assert record["addresses"]["shipping"][0]["street"] == "Lagerweg 9"
    assert record["company"]["contactPersons"][0]["lastName"] == "Sommer"
    assert Contact.objects.get(lexware_id=contact_id).version == record["version"] == 1

    # The edit form is rendered from the mirror (version 1) ...
    edit = reverse("contacts:edit", kwargs={"org_slug": slug, "lexware_id": contact_id})
    mine = form_data(client.get(edit).content.decode())
    assert mine["base_version"] == "1" and mine["persons-0-last_name"] == "Sommer"
    # ... then someone changes the name in Lexware, and a field no form of ours shows.
    changed = {
        **record,
        "company": {**record["company"], "name": "Stadtwerke (Lexware)", "customerGroup": "Amt"},
    }
    assert simulator.api("PUT", f"contacts/{contact_id}", api_key, json=changed).status_code == 200
    mine.update({"company_name": "Stadtwerke (Portal)", "note": "Neu aus dem Portal"})
    assert client.post(edit, mine).status_code == 302
    conflict = _finished(Operation.objects.get(organization=organization, kind="contact.update"))
    assert conflict.state == OperationState.FAILED and conflict.conflict, conflict.error_message
    page = client.get(
        reverse(
            "contacts:edit_status",
            kwargs={"org_slug": slug, "lexware_id": contact_id, "code": conflict.code},
        )
    ).content.decode()
    assert "Stadtwerke (Portal)" in page and "Stadtwerke (Lexware)" in page

    # Keep mine: the input again, on Lexware's version 2; saved.
    again = form_data(client.get(conflict.edit_url()).content.decode())
    assert again["company_name"] == "Stadtwerke (Portal)" and again["base_version"] == "2"
    assert client.post(edit, again).status_code == 302
    saved = _finished(
        Operation.objects.filter(organization=organization, kind="contact.update")
        .exclude(pk=conflict.pk)
        .get()
    )
    assert saved.state == OperationState.SUCCEEDED, saved.error_message
    final = simulator.api("GET", f"contacts/{contact_id}", api_key).json()
    assert final["version"] == 3
    assert final["company"]["name"] == "Stadtwerke (Portal)"
    assert final["company"]["customerGroup"] == "Amt"  # not shown by the form: kept
    assert final["note"] == "Neu aus dem Portal"
    assert final["xRechnung"]["buyerReference"] == "04011000-1234512345-06"
    assert final["addresses"]["shipping"][0]["street"] == "Lagerweg 9"
    puts = [
        r
        for r in simulator.requests(api_key)
        if r["method"] == "PUT" and str(r.get("path", "")).endswith(contact_id)
    ]
    # The test's own calls bypass the portal's limiter, so on a loaded machine a PUT of ours may
    # meet a 429 and be sent again after Retry-After: that request changed nothing.
    applied = [r for r in puts if r.get("status") != 429]
    assert len(applied) == 2, [r.get("status") for r in puts]  # the other client's and ours
    assert [r.get("status") for r in applied] == [200, 200]  # none at the conflict
    assert Contact.objects.get(lexware_id=contact_id).name == "Stadtwerke (Portal)"
