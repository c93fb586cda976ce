"""Lexware's 406 rules of §5.13 and §5.2 against the simulator (issue 11 item 7).

Through the editor (form → operation → worker → simulator): the XRechnung prerequisites are
checked only when an invoice is finalized (§5.13: taxType net for a contact with a buyer
reference), and a total discount above the document's value is refused; each 406 ends the
operation failed, makes no document, and lands on the form field it concerns. The pursue rules
of §5.2 through the portal's Lexware client: each refused transition is a ValidationError
naming `precedingSalesVoucherId`, and nothing is made.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from lexware import errors as lx
from portal.contacts.mirror import upsert_contact
from portal.core.mirror import api_dict
from portal.operations.clients import client_for_key
from portal.operations.models import Operation, OperationState
from tests.portal.sales.conftest import KEY, form_fields
from tests.portal.sales.test_flow import _item, lexware_document
from tests.portal.sales.test_rules import NEW, _posts, _status_url, invoice_data


@pytest.fixture
def xrechnung_customer(connected: Any) -> Any:
    client = client_for_key(KEY)
    created = client.contacts.create(
        {
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": "Stadtverwaltung Musterstadt"},
            "addresses": {
                "billing": [
                    {
                        "street": "Rathausplatz 1",
                        "zip": "24103",
                        "city": "Kiel",
                        "countryCode": "DE",
                    }
                ]
            },
            "xRechnung": {"buyerReference": "04011000-12345-03", "vendorNumberAtCustomer": "K-77"},
        }
    )
    data = api_dict(client.contacts.get(str(created.id)))
    return upsert_contact(organization=connected.organization, data=data)


def _send(client: Any, data: dict[str, str], capture: Any) -> Operation:
    with capture(execute=True):
        client.post(NEW, data)
    return Operation.objects.get(kind="invoice.create")


def test_the_editor_refuses_a_gross_xrechnung_before_anything_is_sent(
    client_for, bob, xrechnung_customer, sim, django_capture_on_commit_callbacks
) -> None:
    """The check page knows §5.13's rule: finalizing stops there, with the reason, unsent."""
    client = client_for(bob)
    data = {
        **invoice_data(client),
        "contact_id": str(xrechnung_customer.lexware_id),
        "tax_type": "gross",
        "action": "finalize-confirmed",
    }
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(NEW, data).content.decode()
    assert "An XRechnung needs net prices (tax type net)." in html
    assert not Operation.objects.filter(kind="invoice.create").exists()
    assert _posts(since) == []


def test_lexwares_xrechnung_406_lands_on_the_tax_type_field(
    client_for, bob, xrechnung_customer, sim, django_capture_on_commit_callbacks
) -> None:
    """Should Lexware refuse what the check let through, its 406 comes back onto the field:
    the same gross invoice sent by the service the editor calls, past the check page."""
    from portal.sales import services
    from portal.sales.forms import DocumentForm
    from portal.sales.types import sales_type

    client = client_for(bob)
    data = {
        **invoice_data(client),
        "contact_id": str(xrechnung_customer.lexware_id),
        "tax_type": "gross",
    }
    invoice = sales_type("invoice")
    form = DocumentForm(data, sales_type=invoice, organization=xrechnung_customer.organization)
    assert form.is_valid(), form.errors
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        services.document_create(
            organization=xrechnung_customer.organization,
            user=bob,
            sales_type=invoice,
            data=form.to_lexware(),
            finalize=True,
            idempotency_key=form.key,
        )
    op = Operation.objects.get(kind="invoice.create")
    op.refresh_from_db()
    assert op.state == OperationState.FAILED, op.state
    assert "taxConditions.taxType" in op.field_errors, op.field_errors
    assert op.target_id == ""
    assert [p["status"] for p in _posts(since)] == [406]
    html = client.get(_status_url(op)).content.decode()
    assert 'id="id_tax_type_error"' in html, html[-3000:]


def test_xrechnung_prerequisites_are_not_checked_for_a_draft(
    client_for, bob, xrechnung_customer, sim, django_capture_on_commit_callbacks
) -> None:
    """§5.13: checked only at finalization; the same gross invoice is stored as a draft."""
    client = client_for(bob)
    data = {
        **invoice_data(client),
        "contact_id": str(xrechnung_customer.lexware_id),
        "tax_type": "gross",
    }
    op = _send(client, data, django_capture_on_commit_callbacks)
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)


def test_a_total_discount_above_the_document_value_is_refused_on_its_field(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = {**invoice_data(client), "total_discount_absolute": "500"}  # two lines: 23.80 gross
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, data)
    op = Operation.objects.get(kind="invoice.create")  # the form does not check this itself
    assert [p["status"] for p in _posts(since)] == [406]
    assert op.state == OperationState.FAILED
    assert "totalPrice.totalDiscountAbsolute" in op.field_errors, op.field_errors
    html = client.get(_status_url(op)).content.decode()
    assert "id_total_discount_absolute_error" in html


def test_a_refused_pursue_lands_in_the_block_naming_the_preceding_document(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    """§5.2 refused by Lexware, sent from a page that still offered the pursue: the 406 names
    `precedingSalesVoucherId`, a hidden field, and the editor shows it in the block that says
    what the document follows, not above the form; in German too."""
    quotation = lexware_document(
        connected, "quotation", customer.lexware_id, items=[_item(), _item("X", 5, optional=True)]
    )
    client = client_for(bob)
    data = form_fields(client.get(NEW).content.decode())
    data.update(
        {
            "contact_id": str(customer.lexware_id),
            "address_name": "Hafenkontor Sommer GmbH",
            "preceding_id": str(quotation.lexware_id),
            "lines-0-name": "Montage",
            "lines-0-unit_name": "Stunde",
            "lines-0-unit_price": "10",
            "action": "send",
        }
    )
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, data)
    op = Operation.objects.get(kind="invoice.create")
    assert [p["status"] for p in _posts(since)] == [406]
    assert op.state == OperationState.FAILED
    refusal = op.field_errors["precedingSalesVoucherId"]
    for language, follow_up, correct in (
        ("en", "Follow-up to", "Please correct the marked fields."),
        ("de", "Folgebeleg zu", "Bitte korrigieren Sie die markierten Felder."),
    ):
        page = client.get(_status_url(op), headers={"Accept-Language": language}).content.decode()
        origin = re.search(
            r'<div class="alert alert--info" id="editor-origin">(.*?)</div>', page, re.S
        )
        assert origin, page[-3000:]
        block = origin.group(1)
        assert follow_up in block and quotation.voucher_number in block, block
        assert re.search(
            rf'<ul class="field__errors errorlist" id="id_preceding_id_error"><li>Lexware: {re.escape(refusal)}</li></ul>',
            block,
        ), block
        # Only there: not again above the form with Lexware's own path or the field's label.
        assert page.count(refusal) == 1 and "precedingSalesVoucherId" not in page
        assert correct in page
        assert form_fields(page)["preceding_id"] == str(quotation.lexware_id)


def _body(customer_id: str, *, optional: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "custom",
        "name": "Wartung",
        "quantity": 1,
        "unitName": "Stück",
        "unitPrice": {"currency": "EUR", "netAmount": 100, "taxRatePercentage": 19},
    }
    items = [item, {**item, "name": "Option", "optional": True}] if optional else [item]
    return {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "expirationDate": "2026-12-02T00:00:00.000+01:00",
        "address": {"contactId": customer_id},
        "lineItems": items,
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {
            "shippingType": "delivery",
            "shippingDate": "2026-11-02T00:00:00.000+01:00",
        },
    }


RESOURCES = {
    "quotation": "quotations",
    "orderconfirmation": "order_confirmations",
    "deliverynote": "delivery_notes",
    "invoice": "invoices",
    "creditnote": "credit_notes",
}


@pytest.mark.parametrize(
    ("source", "source_final", "optional", "target"),
    [
        ("quotation", True, True, "invoice"),  # optional/alternative items
        ("quotation", True, True, "orderconfirmation"),
        ("quotation", True, True, "deliverynote"),
        ("orderconfirmation", False, False, "invoice"),  # a draft
        ("orderconfirmation", False, False, "deliverynote"),
        ("invoice", False, False, "creditnote"),  # a draft invoice
        ("creditnote", True, False, "invoice"),  # not in the graph
        ("invoice", True, False, "orderconfirmation"),  # not in the graph
    ],
)
def test_each_refused_pursue_is_a_406_naming_the_preceding_voucher(
    customer, sim, source: str, source_final: bool, optional: bool, target: str
) -> None:
    client = client_for_key(KEY)
    contact = str(customer.lexware_id)
    preceding = getattr(client, RESOURCES[source]).create(
        _body(contact, optional=optional), finalize=source_final
    )
    resource = getattr(client, RESOURCES[target])
    with pytest.raises(lx.ValidationError) as refused:
        resource.create(
            _body(contact), finalize=False, preceding_sales_voucher_id=str(preceding.id)
        )
    assert refused.value.status_code == 406
    assert "precedingSalesVoucherId" in refused.value.field_errors, refused.value.field_errors


def test_only_one_credit_note_per_invoice(customer, sim) -> None:
    client = client_for_key(KEY)
    contact = str(customer.lexware_id)
    invoice = client.invoices.create(_body(contact), finalize=True)
    client.credit_notes.create(
        _body(contact), finalize=True, preceding_sales_voucher_id=str(invoice.id)
    )
    with pytest.raises(lx.ValidationError) as refused:
        client.credit_notes.create(
            _body(contact), finalize=True, preceding_sales_voucher_id=str(invoice.id)
        )
    assert "precedingSalesVoucherId" in refused.value.field_errors
