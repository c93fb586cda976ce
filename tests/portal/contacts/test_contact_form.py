"""The complete contact form (issue 10 item 1, lexware-api.md §5.5): local validation as
Lexware validates, rows added and removed with and without htmx, Lexware's errors on nested
rows, the duplicate warning before creating, and what an edit sends."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from portal.contacts.forms import ContactForm
from portal.contacts.models import Contact
from portal.contacts.services import contact_create
from portal.operations.models import Operation, OperationState
from tests.portal.contacts.conftest import KEY
from tests.portal.contacts.formdata import form_data

NEW = "/o/alpha/contacts/new/"


def _new_form(client: Any) -> dict[str, Any]:
    return form_data(client.get(NEW).content.decode())


def _errors_of(html: str, field: str) -> str:
    import re

    match = re.search(
        rf'<ul class="field__errors errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S
    )
    return match.group(1) if match else ""


FULL_COMPANY = {
    "kind": "company",
    "company_name": "Stadtwerke Musterstadt",
    "tax_number": "22/815/08150",
    "vat_id": "de123456789",
    "allow_tax_free": "on",
    "roles": ["customer", "vendor"],
    "persons-TOTAL_FORMS": "1",
    "persons-0-salutation": "Frau",
    "persons-0-first_name": "Jana",
    "persons-0-last_name": "Sommer",
    "persons-0-email": "jana@stadtwerke.example",
    "persons-0-phone": "+49 40 1234-5",
    "persons-0-primary": "on",
    "billing-0-supplement": "Abteilung Einkauf",
    "billing-0-street": "Rathausplatz 1",
    "billing-0-zip": "80331",
    "billing-0-city": "München",
    "billing-0-country_code": "DE",
    "shipping-TOTAL_FORMS": "1",
    "shipping-0-street": "Lagerweg 9",
    "shipping-0-zip": "80339",
    "shipping-0-city": "München",
    "shipping-0-country_code": "de",
    "email_business": "info@stadtwerke.example",
    "email_other": "rechnung@stadtwerke.example",
    "phone_mobile": "0170 1234567",
    "phone_fax": "089 1234-99",
    "buyer_reference": "04011000-1234512345-06",
    "vendor_number_at_customer": "K-4711",
    "note": "Rahmenvertrag 2026\nZweite Zeile",
}


def test_a_full_company_is_sent_in_lexwares_shape(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**_new_form(client), **FULL_COMPANY})
    assert response.status_code == 302, response.content.decode()[:3000]
    op = Operation.objects.get(kind="contact.create")
    assert op.state == OperationState.SUCCEEDED, op.error_message
    stored = sim.tenant_for_key(KEY).contacts[op.target_id]
    assert stored["company"] == {
        "name": "Stadtwerke Musterstadt",
        "taxNumber": "22/815/08150",
        "vatRegistrationId": "DE123456789",
        "allowTaxFreeInvoices": True,
        "contactPersons": [
            {
                "salutation": "Frau",
                "firstName": "Jana",
                "lastName": "Sommer",
                "emailAddress": "jana@stadtwerke.example",
                "phoneNumber": "+49 40 1234-5",
                "primary": True,
            }
        ],
    }
    assert stored["addresses"] == {
        "billing": [
            {
                "supplement": "Abteilung Einkauf",
                "street": "Rathausplatz 1",
                "zip": "80331",
                "city": "München",
                "countryCode": "DE",
            }
        ],
        "shipping": [
            {"street": "Lagerweg 9", "zip": "80339", "city": "München", "countryCode": "DE"}
        ],
    }
    assert stored["emailAddresses"] == {
        "business": ["info@stadtwerke.example"],
        "other": ["rechnung@stadtwerke.example"],
    }
    assert stored["phoneNumbers"] == {"mobile": ["0170 1234567"], "fax": ["089 1234-99"]}
    assert stored["xRechnung"] == {
        "buyerReference": "04011000-1234512345-06",
        "vendorNumberAtCustomer": "K-4711",
    }
    assert stored["note"] == "Rahmenvertrag 2026\nZweite Zeile"
    assert set(stored["roles"]) == {"customer", "vendor"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vat_id": "DE12345"}, "vat_id"),
        ({"vat_id": "X1"}, "vat_id"),
        ({"buyer_reference": "not a leitweg"}, "buyer_reference"),
        ({"vendor_number_at_customer": ""}, "vendor_number_at_customer"),
        ({"roles": ["vendor"]}, "buyer_reference"),  # §5.13: invoices go to customers
        ({"phone_mobile": "0170 CALL ME"}, "phone_mobile"),
        ({"phone_fax": "1" * 31}, "phone_fax"),
        ({"email_other": "a@b"}, "email_other"),
        ({"note": "x" * 1001}, "note"),
        ({"note": "bell\x07"}, "note"),
        ({"persons-0-last_name": ""}, "persons-0-last_name"),
        ({"persons-0-salutation": "S" * 26}, "persons-0-salutation"),
        ({"persons-0-email": "jana(at)example"}, "persons-0-email"),
        ({"persons-0-phone": "call me"}, "persons-0-phone"),
        ({"shipping-0-country_code": "D"}, "shipping-0-country_code"),
        ({"shipping-0-zip": "1" * 21}, "shipping-0-zip"),
        ({"tax_number": "1" * 31}, "tax_number"),
    ],
)
def test_local_validation_as_lexware_validates(client_for, bob, connected, change, field) -> None:
    client = client_for(bob)
    response = client.post(
        NEW, {**_new_form(client), **FULL_COMPANY, **change}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert _errors_of(html, field), field
    assert not Operation.objects.exists()


def test_rows_are_added_and_removed_without_javascript_and_with_htmx(
    client_for, bob, connected
) -> None:
    client = client_for(bob)
    data = _new_form(client)
    assert data["billing-TOTAL_FORMS"] == "1" and data["shipping-TOTAL_FORMS"] == "0"
    page = client.post(NEW, {**data, "company_name": "Zeilen GmbH", "row_action": "add:shipping"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    after = form_data(html)
    assert after["shipping-TOTAL_FORMS"] == "1" and "shipping-0-street" in after
    assert (
        after["company_name"] == "Zeilen GmbH"
        and after["idempotency_key"] == data["idempotency_key"]
    )
    assert 'value="add:shipping"' not in html  # Lexware takes one shipping address (§5.5)
    assert "field__errors" not in html  # nothing was sent yet, so nothing is wrong yet
    fragment = client.post(
        NEW,
        {**after, "billing-0-street": "Weg 1", "row_action": "remove:billing:0"},
        headers={"HX-Request": "true"},
    )
    html = fragment.content.decode()
    assert "<html" not in html and 'id="write-region"' in html
    removed = form_data(html)
    assert removed["billing-TOTAL_FORMS"] == "0" and "billing-0-street" not in removed
    assert removed["shipping-TOTAL_FORMS"] == "1"
    # Junk row actions change nothing and never start a write.
    for junk in ("add:nothing", "remove:billing:99", "remove:billing:-1", "explode", "x" * 500):
        assert client.post(NEW, {**removed, "row_action": junk}).status_code == 200
    assert not Operation.objects.exists()


def test_lexwares_errors_land_on_nested_rows() -> None:
    """`addresses.billing[1].zip` → the second billing row's zip, and so on; a path without a
    row to land on is shown on top, never dropped."""
    body = {
        "roles": {"customer": {}},
        "company": {"name": "X", "contactPersons": [{"lastName": "A"}]},
        "addresses": {
            "billing": [{"zip": "1", "countryCode": "DE"}, {"zip": "2", "countryCode": "DE"}],
            "shipping": [{"city": "Y", "countryCode": "DE"}],
        },
    }
    data = ContactForm.data_from_lexware(body)
    data["idempotency_key"] = str(uuid.uuid4())
    form = ContactForm(data)
    form.add_lexware_errors(
        {
            "addresses.billing[1].zip": "ungültig",
            "addresses.shipping[0].countryCode": "fehlt",
            "company.contactPersons[0].lastName": "zu lang",
            "emailAddresses.office[0]": "ungültige E-Mail-Adresse",
            "xRechnung.vendorNumberAtCustomer": "fehlt",
            "addresses.billing[7].zip": "keine Zeile",
        }
    )
    assert "Lexware: ungültig" in form.rows["billing"].forms[1].errors["zip"]
    assert "zip" not in form.rows["billing"].forms[0].errors
    assert "Lexware: fehlt" in form.rows["shipping"].forms[0].errors["country_code"]
    assert "Lexware: zu lang" in form.rows["persons"].forms[0].errors["last_name"]
    assert form.errors["email_office"] and form.errors["vendor_number_at_customer"]
    assert any("addresses.billing[7].zip" in str(e) for e in form.non_field_errors())
    # Two billing rows are more than Lexware accepts: said on the row set.
    assert form.rows["billing"].non_form_errors()


def test_lexwares_nested_errors_come_back_onto_the_rows_of_the_page(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    """An input the form would not make (an import's row): the simulator's 406 names the
    contact person's last name; the reopened form shows it on that row."""
    with django_capture_on_commit_callbacks(execute=True):
        op = contact_create(
            organization=connected.organization,
            user=None,
            data={
                "roles": {"customer": {}},
                "company": {"name": "Import GmbH", "contactPersons": [{"firstName": "Jana"}]},
                "addresses": {"billing": [{"city": "Köln", "countryCode": "DE"}]},
            },
        )
    op.refresh_from_db()
    assert op.state == OperationState.FAILED
    assert "company.contactPersons[0].lastName" in op.field_errors
    status = reverse("contacts:create_status", kwargs={"org_slug": "alpha", "code": op.code})
    html = client_for(bob).get(status).content.decode()
    assert "Lexware" in _errors_of(html, "persons-0-last_name")
    assert 'value="Jana"' in html and 'value="Köln"' in html


# ---------------------------------------------------------------- duplicates


@pytest.fixture
def existing(connected) -> Contact:
    lexware_id = uuid.uuid4()
    return Contact.objects.create(
        organization=connected.organization,
        lexware_id=lexware_id,
        name="Stadtwerke Musterstadt",
        email="zentrale@stadtwerke.example",
        version=1,
        raw={
            "id": str(lexware_id),
            "version": 1,
            "company": {"name": "Stadtwerke Musterstadt", "vatRegistrationId": "DE999999999"},
        },
    )


@pytest.mark.parametrize(
    "same",
    [
        {},  # the name
        {"company_name": "Anders GmbH", "email_office": "ZENTRALE@stadtwerke.example"},
        {"company_name": "Anders GmbH", "vat_id": "DE999999999"},
    ],
)
def test_a_possible_duplicate_is_shown_before_anything_is_sent(
    client_for, bob, existing, sim, same, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = {**_new_form(client), **FULL_COMPANY, "vat_id": "", **same}
    response = client.post(NEW, data, headers={"HX-Request": "true"})
    html = response.content.decode()
    detail = reverse(
        "contacts:detail", kwargs={"org_slug": "alpha", "lexware_id": existing.lexware_id}
    )
    assert response.status_code == 200 and f'href="{detail}"' in html and "open it" in html
    assert 'name="create_anyway" value="1"' in html
    assert not Operation.objects.exists()
    again = form_data(html)
    assert again["idempotency_key"] == data["idempotency_key"]
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(NEW, {**again, "create_anyway": "1"})
    assert created.status_code == 302
    assert Operation.objects.get(kind="contact.create").state == OperationState.SUCCEEDED


def test_no_warning_for_another_organizations_contact(
    client_for, bob, connected, org_b, sim
) -> None:
    Contact.objects.create(
        organization=org_b, lexware_id=uuid.uuid4(), name="Stadtwerke Musterstadt", raw={}
    )
    client = client_for(bob)
    response = client.post(NEW, {**_new_form(client), **FULL_COMPANY})
    assert response.status_code == 302 and Operation.objects.count() == 1
