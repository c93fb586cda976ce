"""Document settings (§5.1, §5.13, §5.19): language, print layout and XRechnung buyer reference
in the body and in what the simulator stores; what choosing a customer fills in; every tax
type of §5.1 accepted by the simulator; Kleinunternehmer write only vat-free documents; the
text formatting of introduction and remark goes out as typed."""

from __future__ import annotations

from typing import Any

import pytest

from portal.contacts.mirror import upsert_contact
from portal.core.mirror import api_dict
from portal.documents.models import Document
from portal.operations.clients import client_for_key
from portal.operations.models import Operation, OperationState
from portal.reference.models import ReferenceItem
from portal.sales.vouchers import TAX_TYPES, VAT_FREE_TYPES
from tests.portal.sales.conftest import KEY, editor_post, form_fields
from tests.portal.sales.test_rules import invoice_data

NEW = "/o/alpha/documents/new/invoice/"
LAYOUT = "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a02"


def _contact(connected: Any, body: dict[str, Any]) -> Any:
    client = client_for_key(KEY)
    created = client.contacts.create({"version": 0, "roles": {"customer": {}}, **body})
    data = api_dict(client.contacts.get(str(created.id)))
    return upsert_contact(organization=connected.organization, data=data)


def _company(connected: Any, name: str, country: str, **extra: Any) -> Any:
    company = {"name": name, **extra.pop("company", {})}
    address = {"street": "Weg 1", "zip": "12345", "city": "Stadt", "countryCode": country}
    return _contact(connected, {"company": company, "addresses": {"billing": [address]}, **extra})


def _reference(org: Any, kind: str, key: str, raw: dict[str, Any]) -> None:
    ReferenceItem.objects.create(organization=org, kind=kind, key=key, name=key, raw=raw)


def _send(client: Any, data: dict[str, str], capture: Any) -> Operation:
    with capture(execute=True):
        response = client.post(NEW, data)
    assert response.status_code == 302, response.content.decode()[-2500:]
    operation = Operation.objects.filter(kind="invoice.create").latest("pk")
    assert operation.state == OperationState.SUCCEEDED, (
        operation.error_message,
        operation.field_errors,
    )
    return operation


def test_language_and_print_layout_are_sent_and_stored(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    org = connected.organization
    for layout in (
        {"id": "5f0d4a11-77a2-4a51-9c1e-2b2a0d0e9a01", "name": "Standard", "default": True},
        {"id": LAYOUT, "name": "Mit Bankverbindung und Logo", "default": False},
    ):
        _reference(org, ReferenceItem.Kind.PRINT_LAYOUT, layout["id"], layout)
    client = client_for(bob)
    page = client.get(NEW).content.decode()
    assert "Mit Bankverbindung und Logo" in page and 'name="language"' in page
    data = invoice_data(client, language="en", print_layout=LAYOUT)
    operation = _send(client, data, django_capture_on_commit_callbacks)
    body = operation.input["document"]
    assert (body["language"], body["printLayoutId"]) == ("en", LAYOUT)
    stored = Document.objects.get(lexware_id=operation.target_id).raw
    assert stored["language"] == "en"
    # A layout that is not in the list is a field error, not a 500.
    html = client.post(NEW, invoice_data(client, print_layout="nope")).content.decode()
    assert 'id="id_print_layout_error"' in html


def test_without_invoicing_pro_english_and_print_layouts_are_refused(
    client_for, bob, connected
) -> None:
    org = connected.organization
    _reference(
        org,
        ReferenceItem.Kind.PROFILE,
        "profile",
        {"taxType": "net", "smallBusiness": False, "businessFeatures": ["INVOICING"]},
    )
    _reference(org, ReferenceItem.Kind.PRINT_LAYOUT, LAYOUT, {"id": LAYOUT, "name": "Logo"})
    client = client_for(bob)
    assert 'name="print_layout"' not in client.get(NEW).content.decode()
    html = client.post(NEW, invoice_data(client, language="en")).content.decode()
    assert "English documents need Lexware" in html
    html = client.post(NEW, invoice_data(client, print_layout=LAYOUT)).content.decode()
    assert "Print layouts need Lexware" in html
    assert not Operation.objects.exists()


def test_a_kleinunternehmer_writes_only_vat_free_documents(client_for, bob, connected) -> None:
    _reference(
        connected.organization,
        ReferenceItem.Kind.PROFILE,
        "profile",
        {"taxType": "net", "smallBusiness": True, "businessFeatures": ["INVOICING"]},
    )
    client = client_for(bob)
    page = client.get(NEW).content.decode()
    assert '<option value="vatfree" selected>' in page and 'value="net"' not in page
    html = client.post(NEW, invoice_data(client, tax_type="net")).content.decode()
    assert 'id="id_tax_type_error"' in html
    assert not Operation.objects.exists()


@pytest.mark.parametrize("tax_type", [value for value, _label in TAX_TYPES])
def test_every_tax_type_of_the_reference_is_accepted(
    tax_type, client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    customer = _company(
        connected, "Steuerfall GmbH", "DE", company={"vatRegistrationId": "DE123456789"}
    )
    client = client_for(bob)
    rate = "0" if tax_type in VAT_FREE_TYPES else "19"
    data = invoice_data(client, tax_type=tax_type, contact_id=str(customer.lexware_id))
    data.update({"lines-0-tax_rate": rate, "lines-1-tax_rate": rate})
    if tax_type in VAT_FREE_TYPES:
        data["tax_type_note"] = "Steuerfrei nach §4 UStG"
    operation = _send(client, data, django_capture_on_commit_callbacks)
    stored = Document.objects.get(lexware_id=operation.target_id).raw
    assert stored["taxConditions"]["taxType"] == tax_type
    # Two lines of 10.00 at 19 %: net 20.00 + 3.80, or gross 20.00 = 16.81 + 3.19.
    expected_tax = {"net": 3.8, "gross": 3.19}.get(tax_type, 0)
    assert stored["totalPrice"]["totalTaxAmount"] == expected_tax


def _choose(client: Any, contact: Any, url: str = NEW, **values: str) -> dict[str, str]:
    data = {**form_fields(client.get(url).content.decode()), **values}
    return form_fields(
        editor_post(client, url, {**data, "action": f"customer:{contact.lexware_id}"})
    )


def test_choosing_a_customer_fills_language_and_tax_settings(client_for, bob, connected) -> None:
    org = connected.organization
    _reference(
        org,
        ReferenceItem.Kind.COUNTRY,
        "FR",
        {"countryCode": "FR", "taxClassification": "intraCommunity"},
    )
    _reference(
        org,
        ReferenceItem.Kind.COUNTRY,
        "US",
        {"countryCode": "US", "taxClassification": "thirdPartyCountry"},
    )
    client = client_for(bob)
    french = _company(
        connected, "Atelier Dupont SARL", "FR", company={"vatRegistrationId": "FR12345678901"}
    )
    data = _choose(client, french, **{"lines-0-tax_rate": "19", "payment_terms": ""})
    assert (data["language"], data["tax_type"]) == ("en", "intraCommunitySupply")
    assert data["lines-0-tax_rate"] == "0" and data["payment_terms"] == ""
    american = _company(connected, "Harbor Tools Inc.", "US")
    data = _choose(client, american)
    assert (data["language"], data["tax_type"]) == ("en", "thirdPartyCountryDelivery")
    data = _choose(client, american, shipping_type="service")
    assert data["tax_type"] == "thirdPartyCountryService"
    austrian = _company(connected, "Wiener Werkstätten GmbH", "AT")
    data = _choose(client, austrian, tax_type="gross")
    assert (data["language"], data["tax_type"]) == ("de", "gross")  # no VAT ID: taxed as usual
    data = _choose(client, austrian, tax_type="thirdPartyCountryService")
    assert data["tax_type"] == "net"  # a special type of an earlier customer does not stay


def test_the_buyer_reference_fills_from_the_contact_and_decides_the_xrechnung(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    authority = _company(
        connected,
        "Stadtverwaltung Musterstadt",
        "DE",
        xRechnung={"buyerReference": "04011000-1234512345-06", "vendorNumberAtCustomer": "K-77"},
    )
    client = client_for(bob)
    data = _choose(client, authority)
    assert data["buyer_reference"] == "04011000-1234512345-06"
    page = editor_post(client, NEW, {**data, "action": "refresh"})
    assert "receives XRechnung e-invoices" in page
    lines = invoice_data(client)
    filled = {**lines, **{k: v for k, v in data.items() if not k.startswith("lines-")}}
    filled["idempotency_key"] = lines["idempotency_key"]
    operation = _send(client, {**filled, "action": "send"}, django_capture_on_commit_callbacks)
    assert "xRechnung" not in operation.input["document"]  # the contact's own is used (§5.13)
    stored = Document.objects.get(lexware_id=operation.target_id).raw
    assert stored["xRechnung"] == {"buyerReference": "04011000-1234512345-06"}

    # A standard invoice for the same customer: xRechnung.buyerReference "" (§5.13).
    standard = {**filled, "buyer_reference": "", "standard_invoice": "on"}
    standard["idempotency_key"] = invoice_data(client)["idempotency_key"]
    operation = _send(client, standard, django_capture_on_commit_callbacks)
    assert operation.input["document"]["xRechnung"] == {"buyerReference": ""}
    assert "xRechnung" not in Document.objects.get(lexware_id=operation.target_id).raw

    # An XRechnung needs net prices.
    html = client.post(NEW, {**filled, "tax_type": "gross"}).content.decode()
    assert "An XRechnung needs net prices" in html


def test_a_buyer_reference_for_a_customer_without_xrechnung_is_refused(
    client_for, bob, connected, customer
) -> None:
    client = client_for(bob)
    data = invoice_data(client, contact_id=str(customer.lexware_id), buyer_reference="991-1-22")
    html = client.post(NEW, data).content.decode()
    assert "This customer has no XRechnung data in Lexware" in html
    assert not Operation.objects.exists()


def test_formatted_introduction_and_remark_go_out_as_typed(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    page = client.get(NEW).content.decode()
    assert "**bold**" in page and "printed without formatting" in page
    intro = "Sehr geehrte Damen und Herren,\n**wichtig:** __bitte__ beachten\n- erstens\n- zweitens"
    data = invoice_data(client, introduction=intro, remark="**Danke!**", title="Rechnung")
    operation = _send(client, data, django_capture_on_commit_callbacks)
    body = operation.input["document"]
    assert (body["introduction"], body["remark"]) == (intro, "**Danke!**")
    html = client.post(NEW, invoice_data(client, title="Zeile\nzwei")).content.decode()
    assert 'id="id_title_error"' in html
