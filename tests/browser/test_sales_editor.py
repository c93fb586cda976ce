"""The sales editor in Chromium (issue 11): bob writes an invoice with an article line and a
custom line, sees the totals change while he types (htmx posts the form to the totals
endpoint, no reload), saves it as a draft, and lands on the invoice whose stored totals are
the ones he saw. Screenshots in German and English go to /tmp/shots-ed/."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SALES_EDITOR_SHOTS", "/tmp/shots-ed")


def _shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True, caret="initial")


def _money_de(value: Any) -> str:
    from django.utils import translation

    from portal.core.templatetags.formatting import money

    with translation.override("de"):
        return money(Decimal(str(value)))


def _settled(page: Page) -> None:
    """htmx has swapped and processed the new content (a user never types within those
    milliseconds; a test would, into an input whose listeners are not attached yet)."""
    # A locator, not wait_for_function: that evaluates a string, which the page's CSP refuses.
    expect(
        page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    ).to_have_count(0)


def test_bob_writes_an_invoice_and_sees_the_totals_while_typing(
    page: Page, bob: Any, synced_org: Any
) -> None:
    from portal.articles.models import Article
    from portal.contacts.models import Contact
    from portal.documents.models import Document

    customer = (
        Contact.objects.filter(organization=synced_org.organization, is_customer=True)
        .exclude(name="")
        .order_by("name")
        .first()
    )
    article = (
        Article.objects.filter(
            organization=synced_org.organization, tax_rate=19, net_price__isnull=False
        )
        .order_by("title")
        .first()
    )
    assert customer and article

    sign_in(page, bob.email)
    page.goto("/o/alpha/documents/")
    page.get_by_role("link", name="Neue Rechnung").click()
    expect(page.locator("h1")).to_have_text("Neue Rechnung")
    page.evaluate("window.__marker = 1")
    form = page.locator("form#write-region")

    # Customer: search as you type, take one; the address fills in.
    # htmx binds its listeners once the deferred scripts ran: a search typed
    # before that would never be sent (seen on a loaded CI machine).
    page.wait_for_load_state("load")
    form.locator("#id_customer_query").fill(max(customer.name.split(), key=len))
    pick = page.locator("#customer-results button", has_text=customer.name).first
    pick.click()
    expect(page.locator("form#write-region #id_address_name")).to_have_value(customer.name)
    _settled(page)

    # Article line from the picker.
    page.locator("#id_article_query").fill(max(article.title.split(), key=len))
    page.locator("#article-results button", has_text=article.title).first.click()
    form = page.locator("form#write-region")
    expect(form.locator("#id_lines-0-name")).to_have_value(article.title)
    _settled(page)
    gross = form.locator('[data-total="gross"]')
    with_article = gross.inner_text()

    # A custom line at 7 % with a discount; the totals follow the typing.
    form.get_by_role("button", name="Position hinzufügen", exact=True).click()
    form = page.locator("form#write-region")
    expect(form.locator("#id_lines-1-name")).to_be_visible()
    _settled(page)
    form.locator("#id_lines-1-name").fill("Montage vor Ort")
    form.locator("#id_lines-1-quantity").fill("2,5")
    form.locator("#id_lines-1-unit_name").fill("Stunde")
    form.locator("#id_lines-1-tax_rate").select_option("7")
    form.locator("#id_lines-1-unit_price").fill("64,90")
    form.locator("#id_lines-1-discount").fill("10")
    expect(page.locator("#line-amount-1")).to_have_text(_money_de("146.03"))
    expect(page.locator('[data-tax-rate="7"]')).to_be_visible()
    expect(gross).not_to_have_text(with_article)
    assert page.evaluate("window.__marker") == 1  # no reload: everything was swapped in place
    _shot(page, "invoice-editor-de")
    shown_gross = page.locator('[data-total="gross"]').inner_text()
    shown_net = page.locator('[data-total="net"]').inner_text()

    with page.expect_navigation(url="**/documents/*-*/"):
        form.get_by_role("button", name="Als Entwurf in Lexware speichern").click()
    from portal.operations.models import Operation

    made = Operation.objects.get(kind="invoice.create")
    document = Document.objects.get(organization=synced_org.organization, lexware_id=made.target_id)
    assert document.status == "draft" and str(document.contact_lexware_id) == str(
        customer.lexware_id
    )
    assert str(document.lexware_id) in page.url
    total = document.raw["totalPrice"]
    assert shown_gross == _money_de(total["totalGrossAmount"])
    assert shown_net == _money_de(total["totalNetAmount"])
    _shot(page, "invoice-created-de")


def test_the_editor_in_english(page: Page, bob: Any, synced_org: Any) -> None:
    bob.language = "en"
    bob.save(update_fields=["language"])
    sign_in(page, bob.email)
    page.goto("/o/alpha/documents/new/quotation/")
    expect(page.locator("h1")).to_have_text("New quotation")
    page.get_by_role("button", name="Add text line").click()
    expect(page.locator("#id_lines-1-name")).to_be_visible()
    _shot(page, "quotation-editor-en")
    page.goto("/o/alpha/documents/new/invoice/")
    _settled(page)
    # htmx binds its listeners once the deferred scripts ran: a search typed
    # before that would never be sent (seen on a loaded CI machine).
    page.wait_for_load_state("load")
    page.locator("#id_customer_query").fill("a")
    page.locator("#customer-results li").first.wait_for()
    _shot(page, "invoice-editor-search-en")


def test_bob_finalizes_an_invoice_with_three_kinds_of_lines_and_lands_on_its_number(
    page: Page, bob: Any, synced_org: Any
) -> None:
    """Item 7: an article line (19 %), a custom line at 7 % with a line discount and a text
    line; the totals follow the typing; "Finalize…" asks first, "Yes" sends it with
    ?finalize=true, and the page that opens is the invoice with its Lexware number and the
    totals bob saw."""
    from portal.articles.models import Article
    from portal.documents.models import Document
    from portal.operations.models import Operation

    article = (
        Article.objects.filter(
            organization=synced_org.organization, tax_rate=19, net_price__isnull=False
        )
        .order_by("title")
        .first()
    )
    assert article

    sign_in(page, bob.email)
    page.goto("/o/alpha/documents/new/invoice/")
    _settled(page)
    form = page.locator("form#write-region")
    form.locator("#id_address_name").fill("Einmalkunde Nord GmbH")
    form.locator("#id_address_city").fill("Kiel")
    form.locator("#id_address_zip").fill("24103")

    page.locator("#id_article_query").fill(max(article.title.split(), key=len))
    page.locator("#article-results button", has_text=article.title).first.click()
    form = page.locator("form#write-region")
    expect(form.locator("#id_lines-0-name")).to_have_value(article.title)
    _settled(page)
    expect(form.locator("#id_address_name")).to_have_value("Einmalkunde Nord GmbH")
    gross = page.locator('[data-total="gross"]')
    with_article = gross.inner_text()

    form.get_by_role("button", name="Position hinzufügen", exact=True).click()
    form = page.locator("form#write-region")
    expect(form.locator("#id_lines-1-name")).to_be_visible()
    _settled(page)
    form.locator("#id_lines-1-name").fill("Einweisung")
    form.locator("#id_lines-1-quantity").fill("3")
    form.locator("#id_lines-1-unit_name").fill("Stunde")
    form.locator("#id_lines-1-tax_rate").select_option("7")
    form.locator("#id_lines-1-unit_price").fill("40")
    expect(page.locator("#line-amount-1")).to_have_text(_money_de("120.00"))
    before_discount = gross.inner_text()
    assert before_discount != with_article
    form.locator("#id_lines-1-discount").fill("12,5")
    expect(page.locator("#line-amount-1")).to_have_text(_money_de("105.00"))
    expect(gross).not_to_have_text(before_discount)
    expect(page.locator('[data-tax-rate="7"]')).to_be_visible()
    expect(page.locator('[data-tax-rate="19"]')).to_be_visible()

    form.get_by_role("button", name="Textposition hinzufügen").click()
    form = page.locator("form#write-region")
    expect(form.locator("#id_lines-2-name")).to_be_visible()
    _settled(page)
    form.locator("#id_lines-2-name").fill("Hinweis")
    form.locator("#id_lines-2-description").fill("Leistung im November erbracht")
    _settled(page)
    shown_gross, shown_net = gross.inner_text(), page.locator('[data-total="net"]').inner_text()

    # "Finalize …" leads to the check page (the confirmation dialog it replaced is gone): the
    # totals shown there are the ones typed, then "Finalize in Lexware".
    form.get_by_role("button", name="Abschließen …").click()
    # The check page lists what Lexware would refuse (nothing here) and the same totals.
    check = page.locator(".sales-check")
    expect(check).to_contain_text("Nichts gefunden, was Lexware ablehnen würde.")
    expect(check.locator('[data-total="gross"]')).to_have_text(shown_gross)
    _shot(page, "invoice-finalize-check-de")
    with page.expect_navigation(url="**/documents/*-*/", timeout=30_000):
        check.get_by_role("button", name="In Lexware abschließen").click()

    made = Operation.objects.get(kind="invoice.create")
    assert made.input["finalize"] is True
    document = Document.objects.get(organization=synced_org.organization, lexware_id=made.target_id)
    assert document.status == "open" and document.voucher_number
    assert str(document.lexware_id) in page.url
    expect(page.locator("h1")).to_contain_text(document.voucher_number)
    names = [item["name"] for item in document.raw["lineItems"]]
    assert names == [article.title, "Einweisung", "Hinweis"]
    total = document.raw["totalPrice"]
    assert shown_gross == _money_de(total["totalGrossAmount"])
    assert shown_net == _money_de(total["totalNetAmount"])
    _shot(page, "invoice-finalized-de")
