"""Issue 11 items 2–5 around the editor: the check page before finalizing, portal drafts
opened again and finalized as a linked copy, follow-up documents (§5.2) and copies from a
document's page, and landing on the numbered document. In-process simulator, Celery eager."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.documents.fetch import fetch_document
from portal.documents.models import Document
from portal.operations.clients import client_for_key
from portal.operations.models import Operation, OperationState
from portal.sales.followup import pursue_refusal
from portal.sales.models import DraftReplacement
from tests.portal.sales.conftest import KEY, form_fields
from tests.portal.sales.test_rules import invoice_data

NEW = "/o/alpha/documents/new/invoice/"
BERLIN_DAY = "2026-11-02T00:00:00.000+01:00"


def _item(name: str = "Montage", price: float = 100.0, **extra: Any) -> dict[str, Any]:
    return {
        "type": "custom",
        "name": name,
        "quantity": 2,
        "unitName": "Stunde",
        "unitPrice": {"currency": "EUR", "netAmount": price, "taxRatePercentage": 19},
        **extra,
    }


def _body(voucher_type: str, contact_id: Any, items: list[dict[str, Any]] | None = None) -> dict:
    body: dict[str, Any] = {
        "voucherDate": BERLIN_DAY,
        "address": {"contactId": str(contact_id)},
        "lineItems": items or [_item(), _item("Material", 13.4)],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
    }
    if voucher_type == "quotation":
        body["expirationDate"] = "2026-12-02T00:00:00.000+01:00"
    if voucher_type in ("invoice", "orderconfirmation", "deliverynote"):
        body["shippingConditions"] = {"shippingType": "delivery", "shippingDate": BERLIN_DAY}
    return body


RESOURCES = {
    "quotation": "quotations",
    "orderconfirmation": "order_confirmations",
    "deliverynote": "delivery_notes",
    "invoice": "invoices",
    "creditnote": "credit_notes",
}


def lexware_document(
    connected: Any,
    voucher_type: str,
    contact_id: Any,
    *,
    finalize: bool = True,
    items: list[dict[str, Any]] | None = None,
    preceding: str | None = None,
) -> Document:
    """A document made in Lexware (the simulator) and fetched into the mirror."""
    client = client_for_key(KEY)
    created = getattr(client, RESOURCES[voucher_type]).create(
        _body(voucher_type, contact_id, items),
        finalize=finalize,
        preceding_sales_voucher_id=preceding,
    )
    document = fetch_document(
        client=client,
        organization=connected.organization,
        voucher_type=voucher_type,
        lexware_id=str(created.id),
    )
    assert document is not None
    return document


def _errors(html: str) -> list[str]:
    return re.findall(r"(?:errorlist|field__errors)[^>]*>(.*?)</", html, re.S)


# ------------------------------------------------------------------ item 2: the check page


def test_finalize_shows_the_check_page_with_what_lexware_would_refuse_and_keeps_the_input(
    client_for, bob, connected, sim
) -> None:
    client = client_for(bob)
    data = invoice_data(client, address_name="", shipping_date="", action="finalize")
    data["lines-1-name"] = "Kupferrohr 15 mm"
    html = client.post(NEW, data).content.decode()
    problems = re.search(r'id="check-problems"(.*?)</section>', html, re.S)
    assert problems, html
    assert "Choose a customer or enter a name for a one-time address." in problems.group(1)
    assert "Enter the date of delivery or service." in problems.group(1)
    assert 'formaction="/o/alpha/documents/new/invoice/#id_shipping_date"' in html
    assert re.search(r'<button[^>]*value="finalize-confirmed"[^>]*disabled', html)
    # Everything typed travels along; "Fix in the editor" shows the editor with it.
    assert 'name="lines-1-name" value="Kupferrohr 15 mm"' in html
    sent = {**form_fields(html), "action": "refresh"}
    editor = client.post(NEW, sent).content.decode()
    assert 'id="write-region"' in editor and "Kupferrohr 15 mm" in editor
    assert form_fields(editor)["lines-1-name"] == "Kupferrohr 15 mm"
    # Forcing the confirmed action with the problems still there creates nothing.
    client.post(NEW, {**data, "action": "finalize-confirmed"})
    assert not Operation.objects.exists()


def test_the_check_page_shows_the_totals_and_a_slot_for_the_pdf_preview(
    client_for, bob, connected, customer, sim
) -> None:
    client = client_for(bob)
    data = {**invoice_data(client), "contact_id": str(customer.lexware_id), "action": "finalize"}
    html = client.post(NEW, data).content.decode()
    assert 'id="check-ok"' in html
    assert re.search(r'data-total="gross">[^<]*23[.,]80<', html), "2 × 10.00 + 19 % = 23.80"
    assert not re.search(r'<button[^>]*value="finalize-confirmed"[^>]*disabled', html)
    assert "sales/_check_preview_slot.html" not in html  # the slot renders (empty), not its name


def _xrechnung_customer(connected: Any, *, zip_code: str = "10117") -> Any:
    from portal.contacts.mirror import upsert_contact
    from portal.core.mirror import api_dict

    client = client_for_key(KEY)
    created = client.contacts.create(
        {
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": "Bezirksamt Mitte"},
            "addresses": {
                "billing": [
                    {
                        "street": "Karl-Marx-Allee 31",
                        "zip": zip_code,
                        "city": "Berlin",
                        "countryCode": "DE",
                    }
                ]
            },
            "xRechnung": {
                "buyerReference": "04011000-1234512345-06",
                "vendorNumberAtCustomer": "K-77",
            },
        }
    )
    return upsert_contact(
        organization=connected.organization, data=api_dict(client.contacts.get(str(created.id)))
    )


def test_the_check_page_lists_the_xrechnung_prerequisites(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    contact = _xrechnung_customer(connected)
    client = client_for(bob)
    data = {
        **invoice_data(client, tax_type="gross"),
        "contact_id": str(contact.lexware_id),
        "lines-0-unit_name": "",
        "action": "finalize",
    }
    html = client.post(NEW, data).content.decode()
    assert "XRechnung (the customer has a buyer reference)" in html
    assert "An XRechnung needs net prices (tax type net)." in html
    assert "Every item of an XRechnung needs a name, a quantity and a unit." in html
    assert "print layout" in html  # what only Lexware can check is said, not hidden
    data.update({"tax_type": "net", "lines-0-unit_name": "Stück"})
    html = client.post(NEW, data).content.decode()
    assert 'id="check-ok"' in html, _errors(html)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**data, "action": "finalize-confirmed"})
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    document = Document.objects.get(lexware_id=op.target_id)
    assert document.raw["electronicDocumentProfile"] == "XRechnung"


# ------------------------------------------------------------------ item 3: portal drafts


def test_a_portal_draft_is_finalized_as_a_linked_copy_with_the_deeplink_to_delete_it(
    client_for, bob, carol, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = {**invoice_data(client), "contact_id": str(customer.lexware_id)}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, data)
    draft_op = Operation.objects.get(kind="invoice.create")
    draft = Document.objects.get(lexware_id=draft_op.target_id)
    assert draft.status == "draft"
    page = client.get(f"/o/alpha/documents/{draft.lexware_id}/").content.decode()
    assert f"/o/alpha/documents/new/draft/{draft.lexware_id}/?finalize=1" in page
    assert (
        "/o/alpha/documents/new/draft/"
        not in client_for(carol).get(f"/o/alpha/documents/{draft.lexware_id}/").content.decode()
    )

    # Opened again: the editor with the input as sent.
    editor = client.get(f"/o/alpha/documents/new/draft/{draft.lexware_id}/").content.decode()
    fields = form_fields(editor)
    assert fields["lines-1-name"] == "Position 2" and fields["contact_id"] == str(
        customer.lexware_id
    )
    assert fields["idempotency_key"] != data["idempotency_key"]

    check = client.get(f"/o/alpha/documents/new/draft/{draft.lexware_id}/?finalize=1")
    html = check.content.decode()
    assert 'id="check-ok"' in html, _errors(html)
    assert f'name="replaces_draft" value="{draft.lexware_id}"' in html
    sent = {**form_fields(html), "action": "finalize-confirmed"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, sent)
    final_op = Operation.objects.exclude(pk=draft_op.pk).get(kind="invoice.create")
    assert final_op.state == OperationState.SUCCEEDED, final_op.error_message
    assert response.status_code == 302
    landed = client.get(response["Location"])
    assert landed.status_code == 302  # the status page sends the user to the document
    final = Document.objects.get(lexware_id=final_op.target_id)
    assert landed["Location"] == f"/o/alpha/documents/{final.lexware_id}/"
    assert final.status == "open" and final.voucher_number.startswith("RE")

    link = DraftReplacement.objects.get()
    assert str(link.draft_lexware_id) == str(draft.lexware_id)
    assert link.replacement_lexware_id == str(final.lexware_id) and link.created_by == bob
    event = AuditEvent.objects.get(action="sales.draft_replaced")
    assert event.actor_id == bob.pk and event.object_id == str(draft.lexware_id)
    assert event.operation_id == final_op.pk

    final_page = client.get(landed["Location"]).content.decode()
    assert final.voucher_number in final_page
    assert f"https://app.lexware.de/permalink/invoices/edit/{draft.lexware_id}" in final_page
    draft_page = client.get(f"/o/alpha/documents/{draft.lexware_id}/").content.decode()
    assert f'href="/o/alpha/documents/{final.lexware_id}/"' in draft_page
    # Finalizing the same draft again is refused on the check page.
    again = client.get(f"/o/alpha/documents/new/draft/{draft.lexware_id}/?finalize=1")
    assert "This draft has already been finalized as a new document." in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**form_fields(again.content.decode()), "action": "finalize-confirmed"})
    assert Operation.objects.filter(kind="invoice.create").count() == 2


def test_only_drafts_the_portal_made_open_again(client_for, bob, connected, customer, sim):
    made_elsewhere = lexware_document(connected, "invoice", customer.lexware_id, finalize=False)
    client = client_for(bob)
    assert (
        client.get(f"/o/alpha/documents/new/draft/{made_elsewhere.lexware_id}/").status_code == 404
    )
    page = client.get(f"/o/alpha/documents/{made_elsewhere.lexware_id}/").content.decode()
    assert "Finalize this draft" not in page


# ------------------------------------------------------------------ item 4: follow-ups


def test_a_quotation_is_pursued_into_an_invoice_that_lexware_links_to_it(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    quotation = lexware_document(connected, "quotation", customer.lexware_id)
    client = client_for(bob)
    page = client.get(f"/o/alpha/documents/{quotation.lexware_id}/").content.decode()
    for target in ("orderconfirmation", "invoice", "deliverynote"):
        assert f'data-follow-up="{target}"' in page
    assert 'data-follow-up="creditnote"' not in page
    url = f"/o/alpha/documents/new/pursue/{quotation.lexware_id}/?type=invoice"
    editor = client.get(url).content.decode()
    fields = form_fields(editor)
    assert fields["preceding_id"] == str(quotation.lexware_id)
    assert fields["lines-0-name"] == "Montage" and fields["contact_id"] == str(customer.lexware_id)
    assert fields["voucher_date"] == timezone.localdate().isoformat()
    assert 'id="editor-origin"' in editor and quotation.voucher_number in editor
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**fields, "action": "finalize-confirmed"})
    op = Operation.objects.get(kind="invoice.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    assert op.input["preceding"] == str(quotation.lexware_id)
    invoice = Document.objects.get(lexware_id=op.target_id)
    related = {r["id"]: r["voucherType"] for r in invoice.raw["relatedVouchers"]}
    assert related == {str(quotation.lexware_id): "quotation"}
    assert client.get(response["Location"])["Location"].endswith(f"/{invoice.lexware_id}/")


def test_the_follow_up_waits_for_the_preceding_documents_items_without_waiting_on_lexware(
    client_for, bob, connected, customer, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    fetched = lexware_document(connected, "orderconfirmation", customer.lexware_id)
    # As the list sync leaves it: the row without its details.
    Document.objects.filter(pk=fetched.pk).update(raw={}, details_synced_at=None)
    client = client_for(bob)
    url = f"/o/alpha/documents/new/pursue/{fetched.lexware_id}/?type=deliverynote"
    html = client.get(url).content.decode()
    assert 'id="source-wait"' in html and "Loading the items" in html
    fetch = Operation.objects.get(kind="document.fetch", target_id=str(fetched.lexware_id))
    assert fetch.lane == "interactive" and fetch.state == OperationState.PENDING
    from portal.operations import runner

    runner.execute(fetch.pk)
    fetch.refresh_from_db()
    assert fetch.state == OperationState.SUCCEEDED
    reload = client.get(url, headers={"HX-Request": "true"})
    assert reload["HX-Redirect"] == url
    fields = form_fields(client.get(url).content.decode())
    assert (
        fields["preceding_id"] == str(fetched.lexware_id) and fields["lines-1-name"] == "Material"
    )


@pytest.mark.parametrize(
    ("source", "target", "items", "finalized"),
    [
        ("quotation", "invoice", [_item(), _item("Extra", 5.0, optional=True)], True),
        ("quotation", "orderconfirmation", [_item(), _item("Extra", 5.0, optional=True)], True),
        ("orderconfirmation", "invoice", None, False),
        ("deliverynote", "invoice", None, False),
        ("invoice", "creditnote", None, False),
        ("invoice", "orderconfirmation", None, True),
        ("creditnote", "invoice", None, True),
    ],
)
def test_lexware_refuses_what_section_5_2_forbids_and_the_page_knows_it_first(
    client_for,
    bob,
    connected,
    customer,
    sim,
    django_capture_on_commit_callbacks,
    source,
    target,
    items,
    finalized,
) -> None:
    preceding = lexware_document(
        connected, source, customer.lexware_id, finalize=finalized, items=items
    )
    assert pursue_refusal(preceding, target) is not None
    client = client_for(bob)
    url = f"/o/alpha/documents/new/pursue/{preceding.lexware_id}/?type={target}"
    refused = client.get(url)
    assert refused.status_code in (302, 404)
    # Sent anyway (an old page): the simulator answers 406 and the form shows it.
    new = f"/o/alpha/documents/new/{target}/"
    data = form_fields(client.get(new).content.decode())
    data.update(
        {
            "contact_id": str(customer.lexware_id),
            "address_name": "Hafenkontor Sommer GmbH",
            "preceding_id": str(preceding.lexware_id),
            "lines-0-name": "Montage",
            "lines-0-unit_name": "Stunde",
            "lines-0-unit_price": "10",
            "action": "send",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new, data)
    assert response.status_code == 302, _errors(response.content.decode())
    op = Operation.objects.get(kind=f"{target}.create")
    assert op.state == OperationState.FAILED
    assert "precedingSalesVoucherId" in op.field_errors, op.field_errors
    page = client.get(response["Location"]).content.decode()
    origin = re.search(r'id="editor-origin">(.*?)</div>', page, re.S)
    assert origin and 'id="id_preceding_id_error"' in origin.group(1), page[-3000:]
    assert "Lexware: " in origin.group(1) and 'id="write-region"' in page
    assert form_fields(page)["preceding_id"] == str(preceding.lexware_id)


def test_refused_follow_ups_are_shown_disabled_with_the_reason(
    client_for, bob, connected, customer, sim
) -> None:
    quotation = lexware_document(
        connected, "quotation", customer.lexware_id, items=[_item(), _item("X", 1, optional=True)]
    )
    page = client_for(bob).get(f"/o/alpha/documents/{quotation.lexware_id}/").content.decode()
    assert "data-follow-up=" not in page
    assert "optional or alternative items" in page


def test_an_invoice_gets_a_credit_note_that_settles_it(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    invoice = lexware_document(connected, "invoice", customer.lexware_id)
    client = client_for(bob)
    url = f"/o/alpha/documents/new/pursue/{invoice.lexware_id}/?type=creditnote"
    fields = form_fields(client.get(url).content.decode())
    assert invoice.voucher_number in fields["introduction"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/o/alpha/documents/new/creditnote/", {**fields, "action": "finalize-confirmed"}
        )
    op = Operation.objects.get(kind="creditnote.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    assert Document.objects.get(lexware_id=op.target_id).status == "paidoff"


def test_duplicate_opens_a_copy_as_any_type_without_a_link(
    client_for, bob, connected, customer, sim
) -> None:
    invoice = lexware_document(connected, "invoice", customer.lexware_id)
    client = client_for(bob)
    html = client.get(f"/o/alpha/documents/new/copy/{invoice.lexware_id}/?type=quotation")
    fields = form_fields(html.content.decode())
    assert 'action="/o/alpha/documents/new/quotation/"' in html.content.decode()
    assert fields["preceding_id"] == "" and fields["lines-0-name"] == "Montage"
    assert fields["expiration_date"] > fields["voucher_date"]
    same = client.get(f"/o/alpha/documents/new/copy/{invoice.lexware_id}/?type=junk")
    assert 'action="/o/alpha/documents/new/invoice/"' in same.content.decode()


def test_viewers_get_no_follow_up_and_no_copy(client_for, carol, connected, customer, sim) -> None:
    invoice = lexware_document(connected, "invoice", customer.lexware_id)
    client = client_for(carol)
    page = client.get(f"/o/alpha/documents/{invoice.lexware_id}/").content.decode()
    assert 'id="follow-up"' not in page
    for url in (
        f"/o/alpha/documents/new/pursue/{invoice.lexware_id}/?type=creditnote",
        f"/o/alpha/documents/new/copy/{invoice.lexware_id}/",
        f"/o/alpha/documents/new/draft/{invoice.lexware_id}/",
    ):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "value", ['<script>alert("x")</script>', "abc\x00def", "", "x" * 3000, "name\r\nBcc: x"]
)
def test_the_check_page_takes_hostile_input_without_a_500_or_an_echo(
    client_for, bob, connected, sim, value
) -> None:
    client = client_for(bob)
    fields = form_fields(client.get(NEW).content.decode())
    data = dict.fromkeys(fields, value)
    data.update({"lines-TOTAL_FORMS": "1", "action": "finalize"})
    response = client.post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="check-problems"' in html and "<script>alert" not in html
    assert not Operation.objects.exists()
    draft_check = client.get(f"/o/alpha/documents/new/draft/{value[:40] or 'x'}/?finalize=1")
    assert draft_check.status_code == 404


def test_an_overdue_invoice_offers_a_dunning_through_the_dunning_run(
    client_for, bob, connected, customer, sim
) -> None:
    invoice = lexware_document(connected, "invoice", customer.lexware_id)
    Document.objects.filter(pk=invoice.pk).update(due_date=timezone.now() + timedelta(days=5))
    page = client_for(bob).get(f"/o/alpha/documents/{invoice.lexware_id}/").content.decode()
    assert "/o/alpha/receivables/dunning/start/" not in page  # not due yet
    Document.objects.filter(pk=invoice.pk).update(due_date=timezone.now() - timedelta(days=20))
    page = client_for(bob).get(f"/o/alpha/documents/{invoice.lexware_id}/").content.decode()
    assert 'action="/o/alpha/receivables/dunning/start/"' in page
    assert f'name="invoice" value="{invoice.lexware_id}"' in page


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("quotation", "orderconfirmation"),
        ("quotation", "deliverynote"),
        ("orderconfirmation", "invoice"),
        ("orderconfirmation", "deliverynote"),
        ("deliverynote", "invoice"),
        ("invoice", "deliverynote"),
    ],
)
def test_every_allowed_follow_up_is_created_and_linked(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks, source, target
) -> None:
    preceding = lexware_document(connected, source, customer.lexware_id)
    client = client_for(bob)
    url = f"/o/alpha/documents/new/pursue/{preceding.lexware_id}/?type={target}"
    fields = form_fields(client.get(url).content.decode())
    assert fields["preceding_id"] == str(preceding.lexware_id)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/o/alpha/documents/new/{target}/", {**fields, "action": "send"})
    op = Operation.objects.get(kind=f"{target}.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    made = Document.objects.get(lexware_id=op.target_id)
    assert [r["id"] for r in made.raw["relatedVouchers"]] == [str(preceding.lexware_id)]
    assert [i["name"] for i in made.raw["lineItems"]] == ["Montage", "Material"]


def test_an_invoice_takes_one_credit_note_only(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    invoice = lexware_document(connected, "invoice", customer.lexware_id)
    lexware_document(
        connected, "creditnote", customer.lexware_id, preceding=str(invoice.lexware_id)
    )
    client = client_for_key(KEY)
    invoice = fetch_document(
        client=client,
        organization=connected.organization,
        voucher_type="invoice",
        lexware_id=str(invoice.lexware_id),
    )
    assert invoice is not None
    assert pursue_refusal(invoice, "creditnote") is not None
    page = client_for(bob).get(f"/o/alpha/documents/{invoice.lexware_id}/").content.decode()
    assert 'data-follow-up="creditnote"' not in page and 'data-follow-up="deliverynote"' in page
    assert "This invoice already has a credit note; Lexware allows only one." in page


def test_a_credit_note_for_a_discounted_invoice_credits_what_the_invoice_charged(
    client_for, bob, connected, customer, sim, django_capture_on_commit_callbacks
) -> None:
    # Found walking the demo: credit notes take no discounts (§5.1), and the prefilled credit
    # note dropped the invoice's line discount, crediting 2,724.82 € for a 2,701.04 € invoice.
    items = [
        {**_item("Montage", 68.4), "quantity": 6.5, "discountPercentage": 5},
        _item("Material", 13.4, discountPercentage=10),
        _item("Anfahrt", 35.0),
    ]
    items[0]["unitPrice"]["taxRatePercentage"] = 7
    invoice = lexware_document(connected, "invoice", customer.lexware_id, items=items)
    client = client_for(bob)
    url = f"/o/alpha/documents/new/pursue/{invoice.lexware_id}/?type=creditnote"
    fields = form_fields(client.get(url).content.decode())
    assert "lines-0-discount" not in fields or fields["lines-0-discount"] == ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/o/alpha/documents/new/creditnote/", {**fields, "action": "finalize-confirmed"}
        )
    op = Operation.objects.get(kind="creditnote.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    credit = Document.objects.get(lexware_id=op.target_id)
    assert (
        credit.raw["totalPrice"]["totalGrossAmount"]
        == (invoice.raw["totalPrice"]["totalGrossAmount"])
    )
    assert [i["lineItemAmount"] for i in credit.raw["lineItems"]] == [
        i["lineItemAmount"] for i in invoice.raw["lineItems"]
    ]


def test_a_total_discount_is_folded_into_the_unit_prices_for_a_type_without_discounts() -> None:
    from portal.sales.followup import without_discounts

    body = {
        "taxConditions": {"taxType": "gross"},
        "lineItems": [
            {**_item("A", 0), "unitPrice": {"grossAmount": 100, "taxRatePercentage": 19}},
            {"type": "text", "name": "Hinweis"},
        ],
        "totalPrice": {"currency": "EUR", "totalDiscountPercentage": 10},
    }
    folded = without_discounts(body)
    assert folded["lineItems"][0]["unitPrice"] == {"grossAmount": 90.0, "taxRatePercentage": 19}
    assert folded["totalPrice"] == {"currency": "EUR"}
    assert body["totalPrice"]["totalDiscountPercentage"] == 10  # the source is left alone
    absolute = without_discounts({**body, "totalPrice": {"totalDiscountAbsolute": 50}})
    assert absolute["lineItems"][0]["unitPrice"]["grossAmount"] == 75.0  # 200 − 50 over 2 units
