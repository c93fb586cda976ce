"""A new customer from within the editor (issue 11 item 1): the document's input waits in the
session while the contact is created through contact_create (against the in-process
simulator, the worker's part run on commit); then the editor comes back with every line kept
and the new customer chosen."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from portal.contacts.models import Contact
from portal.operations.models import Operation, OperationState
from tests.portal.sales.conftest import editor_post, form_fields

NEW = "/o/alpha/documents/new/invoice/"
CUSTOMER = f"{NEW}customer/"


def _typed_document(client) -> dict[str, str]:
    data = form_fields(client.get(NEW).content.decode())
    data.update(
        {
            "address_name": "Neukunde Werft GmbH",
            "address_city": "Kiel",
            "lines-0-name": "Beratung vor Ort",
            "lines-0-quantity": "3",
            "lines-0-unit_name": "Stunde",
            "lines-0-unit_price": "95",
            "title": "Rechnung Kiel",
        }
    )
    html = editor_post(client, NEW, {**data, "action": "add:text"})
    data = form_fields(html)
    data["lines-1-name"] = "Leistungszeitraum November"
    return data


def test_a_customer_made_in_the_editor_is_chosen_and_nothing_typed_is_lost(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = _typed_document(client)
    response = client.post(NEW, {**data, "action": "new-customer"})
    assert response.status_code == 302 and response["Location"].startswith(CUSTOMER)
    token = parse_qs(urlparse(response["Location"]).query)["resume"][0]
    page = client.get(response["Location"]).content.decode()
    assert 'value="Neukunde Werft GmbH"' in page and 'value="Kiel"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            response["Location"],
            {
                **form_fields(page),
                "kind": "company",
                "street": "Kai 1",
                "zip": "24103",
                "email": "info@werft.example",
            },
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    operation = Operation.objects.get(kind="contact.create")
    assert operation.state == OperationState.SUCCEEDED, operation.error_message
    assert operation.input["contact"]["roles"] == {"customer": {}}
    contact = Contact.objects.get(lexware_id=operation.target_id)
    assert contact.is_customer and contact.name == "Neukunde Werft GmbH"
    back = client.get(response["Location"])
    assert back.status_code == 302
    assert parse_qs(urlparse(back["Location"]).query) == {
        "resume": [token],
        "customer": [str(contact.lexware_id)],
    }
    restored = form_fields(client.get(back["Location"]).content.decode())
    assert restored["contact_id"] == str(contact.lexware_id)
    assert restored["address_street"] == "Kai 1" and restored["address_zip"] == "24103"
    assert restored["lines-0-name"] == "Beratung vor Ort" and restored["lines-0-unit_price"] == "95"
    assert restored["lines-1-name"] == "Leistungszeitraum November"
    assert restored["title"] == "Rechnung Kiel"
    # The document keeps the token it had: sending it now is still the same submission.
    assert restored["idempotency_key"] == data["idempotency_key"]


def test_with_htmx_the_editor_goes_to_the_customer_page_by_hx_redirect(
    client_for, bob, connected
) -> None:
    client = client_for(bob)
    data = form_fields(client.get(NEW).content.decode())
    response = client.post(NEW, {**data, "action": "new-customer"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(f"{CUSTOMER}?resume=")


def test_the_quick_customer_form_shows_field_errors_and_starts_nothing(
    client_for, bob, connected
) -> None:
    client = client_for(bob)
    cases = [
        ({"kind": "company", "company_name": "", "country": "DE"}, "A company needs a name."),
        ({"kind": "person", "last_name": "", "country": "DE"}, "A person needs a last name."),
        ({"kind": "company", "company_name": "X", "country": "Deutschland"}, "country"),
        ({"kind": "company", "company_name": "X", "country": "DE", "email": "kein@"}, "e-mail"),
        ({"kind": "robot", "company_name": "X", "country": "DE"}, "valid choice"),
    ]
    for values, message in cases:
        page = client.get(CUSTOMER).content.decode()
        response = client.post(CUSTOMER, {**form_fields(page), **values})
        assert response.status_code == 200
        assert message in response.content.decode(), values
    assert not Operation.objects.exists()


def test_a_token_of_another_organization_or_type_keeps_nothing(client_for, bob, connected) -> None:
    client = client_for(bob)
    data = _typed_document(client)
    token = parse_qs(
        urlparse(client.post(NEW, {**data, "action": "new-customer"})["Location"]).query
    )["resume"][0]
    # The token belongs to the invoice editor: the quotation's page does not show its input.
    page = client.get(f"/o/alpha/documents/new/quotation/customer/?resume={token}").content.decode()
    assert "Neukunde Werft GmbH" not in page and "a new document (Quotation) for it opens" in page
    restored = form_fields(
        client.get(f"/o/alpha/documents/new/quotation/?resume={token}").content.decode()
    )
    assert restored.get("lines-0-name", "") == ""
