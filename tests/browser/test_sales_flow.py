"""Pursuing a quotation into an invoice in Chromium (issue 11 items 2, 4, 5): bob writes a
quotation, finalizes it through the check page, lands on the numbered quotation, follows it
up with an invoice (the editor prefilled from the quotation), finalizes that and lands on the
numbered invoice that Lexware links to the quotation. Screenshots of the check page and the
follow-up buttons in German and English go to /tmp/shots-flow/."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SALES_FLOW_SHOTS", "/tmp/shots-flow")


def _shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True, caret="initial")


def _settled(page: Page) -> None:
    expect(
        page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    ).to_have_count(0)


def _customer(synced_org: Any) -> Any:
    from portal.contacts.models import Contact

    customer = (
        Contact.objects.filter(organization=synced_org.organization, is_customer=True)
        .exclude(name="")
        .order_by("name")
        .first()
    )
    assert customer
    return customer


def _finalize_through_the_check_page(page: Page, shot: str, finalize: str, check: str) -> None:
    page.locator("form#write-region button[value=finalize]").click()
    expect(page.locator("#check-title")).to_contain_text(check)
    expect(page.locator("#check-ok")).to_be_visible()
    _settled(page)
    _shot(page, shot)
    with page.expect_navigation(url="**/documents/*-*/"):
        page.get_by_role("button", name=finalize).click()


def test_bob_pursues_a_quotation_into_an_invoice(page: Page, bob: Any, synced_org: Any) -> None:
    from portal.documents.models import Document
    from portal.operations.models import Operation

    customer = _customer(synced_org)
    sign_in(page, bob.email)
    page.goto("/o/alpha/documents/new/quotation/")
    expect(page.locator("h1")).to_have_text("Neues Angebot")
    form = page.locator("form#write-region")
    # htmx binds its listeners once the deferred scripts ran: a search typed
    # before that would never be sent (seen on a loaded CI machine).
    page.wait_for_load_state("load")
    form.locator("#id_customer_query").fill(max(customer.name.split(), key=len))
    page.locator("#customer-results button", has_text=customer.name).first.click()
    expect(page.locator("form#write-region #id_address_name")).to_have_value(customer.name)
    _settled(page)
    form = page.locator("form#write-region")
    form.locator("#id_lines-0-name").fill("Wartung Heizungsanlage")
    form.locator("#id_lines-0-quantity").fill("3")
    form.locator("#id_lines-0-unit_name").fill("Stunde")
    form.locator("#id_lines-0-unit_price").fill("72,50")
    _settled(page)
    _finalize_through_the_check_page(
        page, "check-quotation-de", "In Lexware abschließen", "Prüfung vor dem Abschließen"
    )

    quotation = Document.objects.get(
        lexware_id=Operation.objects.get(kind="quotation.create").target_id
    )
    assert quotation.status == "open" and quotation.voucher_number
    expect(page.locator("h1")).to_contain_text(quotation.voucher_number)
    follow_up = page.locator("#follow-up")
    expect(follow_up.locator("[data-follow-up]")).to_have_count(3)
    _shot(page, "follow-up-quotation-de")

    follow_up.get_by_role("link", name="Rechnung erstellen").click()
    expect(page.locator("h1")).to_have_text("Neue Rechnung")
    expect(page.locator("#editor-origin")).to_contain_text(quotation.voucher_number)
    expect(page.locator("#id_lines-0-name")).to_have_value("Wartung Heizungsanlage")
    _settled(page)
    _finalize_through_the_check_page(
        page, "check-invoice-de", "In Lexware abschließen", "Prüfung vor dem Abschließen"
    )

    made = Operation.objects.get(kind="invoice.create")
    assert made.input["preceding"] == str(quotation.lexware_id)
    invoice = Document.objects.get(lexware_id=made.target_id)
    assert invoice.status == "open" and invoice.voucher_number.startswith("RE")
    assert str(invoice.lexware_id) in page.url
    expect(page.locator("h1")).to_contain_text(invoice.voucher_number)
    related = [r["id"] for r in invoice.raw["relatedVouchers"]]
    assert related == [str(quotation.lexware_id)]
    # The invoice page offers its own follow-ups: a credit note and a delivery note.
    expect(page.locator('#follow-up [data-follow-up="creditnote"]')).to_be_visible()
    _shot(page, "follow-up-invoice-de")


def test_the_check_page_and_the_follow_ups_in_english(
    page: Page, bob: Any, synced_org: Any
) -> None:
    bob.language = "en"
    bob.save(update_fields=["language"])
    customer = _customer(synced_org)
    sign_in(page, bob.email)
    page.goto("/o/alpha/documents/new/invoice/")
    form = page.locator("form#write-region")
    # htmx binds its listeners once the deferred scripts ran: a search typed
    # before that would never be sent (seen on a loaded CI machine).
    page.wait_for_load_state("load")
    form.locator("#id_customer_query").fill(max(customer.name.split(), key=len))
    page.locator("#customer-results button", has_text=customer.name).first.click()
    _settled(page)
    # Nothing typed into the line: the check page lists what Lexware would refuse.
    page.locator("form#write-region button[value=finalize]").click()
    expect(page.locator("#check-problems")).to_be_visible()
    expect(page.locator("button[value=finalize-confirmed]")).to_be_disabled()
    _shot(page, "check-problems-en")
    page.locator("#check-problems button").first.click()
    expect(page.locator("form#write-region #id_address_name")).to_have_value(customer.name)
    form = page.locator("form#write-region")
    form.locator("#id_lines-0-name").fill("Consulting")
    form.locator("#id_lines-0-unit_name").fill("hour")
    form.locator("#id_lines-0-unit_price").fill("95.00")
    _settled(page)
    _finalize_through_the_check_page(page, "check-invoice-en", "Finalize in Lexware", "Check")
    expect(page.locator("#follow-up")).to_contain_text("Create credit note")
    _shot(page, "follow-up-invoice-en")


def test_bob_finalizes_a_portal_draft_and_is_shown_where_to_delete_it(
    page: Page, bob: Any, synced_org: Any
) -> None:
    from portal.documents.models import Document
    from portal.operations.models import Operation
    from portal.sales.services import document_create
    from portal.sales.types import SALES_TYPES

    customer = _customer(synced_org)
    body = {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "address": {"contactId": str(customer.lexware_id)},
        "lineItems": [
            {
                "type": "custom",
                "name": "Reparatur Tor",
                "quantity": 1,
                "unitName": "Pauschal",
                "unitPrice": {"currency": "EUR", "netAmount": 240, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {
            "shippingType": "delivery",
            "shippingDate": "2026-11-02T00:00:00.000+01:00",
        },
    }
    draft_op = document_create(
        organization=synced_org.organization,
        user=bob,
        sales_type=SALES_TYPES["invoice"],
        data=body,
    )
    draft_op.refresh_from_db()
    draft = Document.objects.get(lexware_id=draft_op.target_id)
    assert draft.status == "draft"

    sign_in(page, bob.email)
    page.goto(f"/o/alpha/documents/{draft.lexware_id}/")
    _shot(page, "portal-draft-de")
    page.get_by_role("link", name="Diesen Entwurf abschließen").click()
    expect(page.locator("#check-ok")).to_be_visible()
    with page.expect_navigation(url="**/documents/*-*/"):
        page.get_by_role("button", name="In Lexware abschließen").click()
    final = Document.objects.get(
        lexware_id=Operation.objects.exclude(pk=draft_op.pk).get(kind="invoice.create").target_id
    )
    assert final.status == "open" and str(final.lexware_id) in page.url
    delete = page.locator("#draft-link #delete-draft")
    expect(delete).to_have_attribute(
        "href", f"https://app.lexware.de/permalink/invoices/edit/{draft.lexware_id}"
    )
    _shot(page, "portal-draft-finalized-de")
