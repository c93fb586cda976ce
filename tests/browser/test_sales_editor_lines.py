"""The editor's lines in Chromium (issue 11 item 1): a quotation written from the keyboard —
Alt+N adds a line with the cursor in it, Alt+↑/↓ move the line one is in (the focus moves
with it) — with an optional item and an alternative that the totals leave out (§5.20), the
language and print layout settings, and the new-customer page. Screenshots in German and
English go to /tmp/shots-el/."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SALES_LINES_SHOTS", "/tmp/shots-el")
QUOTATION = "/o/alpha/documents/new/quotation/"


def _shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True, caret="initial")


def _money(value: str, language: str = "de") -> str:
    from django.utils import translation

    from portal.core.templatetags.formatting import money

    with translation.override(language):
        return money(Decimal(value))


def _settled(page: Page) -> None:
    expect(
        page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    ).to_have_count(0)


def _fill_line(page: Page, index: int, name: str, price: str) -> None:
    form = page.locator("form#write-region")
    form.locator(f"#id_lines-{index}-name").fill(name)
    form.locator(f"#id_lines-{index}-unit_name").fill("Stück")
    form.locator(f"#id_lines-{index}-unit_price").fill(price)


def test_bob_writes_a_quotation_from_the_keyboard(page: Page, bob: Any, synced_org: Any) -> None:
    sign_in(page, bob.email)
    page.goto(QUOTATION)
    expect(page.locator("#editor-keys")).to_be_visible()  # only shown when the script runs
    page.evaluate("window.__marker = 1")
    _fill_line(page, 0, "Wartung", "100")
    _settled(page)

    # Alt+N: a new line, the cursor in its name.
    page.locator("#id_lines-0-unit_price").press("Alt+n")
    expect(page.locator("#id_lines-1-name")).to_be_focused()
    _settled(page)
    page.keyboard.type("Filterwechsel")
    _fill_line(page, 1, "Filterwechsel", "40")
    page.locator("#id_lines-1-name").focus()

    # Alt+ArrowUp: the line moves up, the focus with it; Alt+ArrowDown moves it back.
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#id_lines-0-name")).to_have_value("Filterwechsel")
    expect(page.locator("#id_lines-1-name")).to_have_value("Wartung")
    expect(page.locator("#id_lines-0-name")).to_be_focused()
    _settled(page)
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#id_lines-1-name")).to_have_value("Filterwechsel")
    expect(page.locator("#id_lines-1-name")).to_be_focused()
    _settled(page)
    # The first line cannot go further up: nothing happens.
    page.locator("#id_lines-0-quantity").focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#id_lines-0-name")).to_have_value("Wartung")

    # An optional item and an alternative: shown with their amounts, not in the totals.
    gross = page.locator('[data-total="gross"]')
    expect(gross).to_have_text(_money("166.60"))  # (100 + 40) × 1.19
    page.locator("#id_lines-1-position").select_option("optional")
    expect(gross).to_have_text(_money("119.00"))
    _settled(page)
    page.locator("#id_lines-1-unit_price").press("Alt+n")
    expect(page.locator("#id_lines-2-name")).to_be_focused()
    _settled(page)
    _fill_line(page, 2, "Wartung Premium", "150")
    page.locator("#id_lines-2-position").select_option("alternative")
    expect(page.locator("#line-amount-2")).to_have_text(_money("150.00"))
    expect(gross).to_have_text(_money("119.00"))
    expect(page.locator("#id_language")).to_have_value("de")
    assert page.evaluate("window.__marker") == 1  # all in place, no reload
    _shot(page, "quotation-lines-de")

    # The new-customer page keeps the quotation.
    page.get_by_role("button", name="Neuer Kunde…").click()
    expect(page.locator("h1")).to_have_text("Neuer Kunde")
    _shot(page, "new-customer-de")
    page.get_by_role("link", name="Abbrechen").click()
    expect(page.locator("#id_lines-2-name")).to_have_value("Wartung Premium")
    expect(page.locator("#id_lines-2-position")).to_have_value("alternative")


def test_the_quotation_lines_in_english(page: Page, bob: Any, synced_org: Any) -> None:
    bob.language = "en"
    bob.save(update_fields=["language"])
    sign_in(page, bob.email)
    page.goto(QUOTATION)
    _fill_line(page, 0, "Maintenance", "100")
    _settled(page)
    page.locator("#id_lines-0-unit_price").press("Alt+n")
    expect(page.locator("#id_lines-1-name")).to_be_focused()
    _settled(page)
    _fill_line(page, 1, "Premium maintenance", "150")
    page.locator("#id_lines-1-position").select_option("alternative")
    expect(page.locator('[data-total="gross"]')).to_have_text(_money("119.00", "en"))
    page.locator("#id_language").select_option("en")
    _settled(page)
    _shot(page, "quotation-lines-en")
    page.get_by_role("button", name="New customer…").click()
    expect(page.locator("h1")).to_have_text("New customer")
    _shot(page, "new-customer-en")


def test_an_xrechnung_customer_fills_the_buyer_reference(
    page: Page, bob: Any, synced_org: Any
) -> None:
    from portal.contacts.models import Contact

    authority = next(
        c
        for c in Contact.objects.filter(
            organization=synced_org.organization, is_customer=True, archived=False
        ).order_by("name")
        if (c.raw.get("xRechnung") or {}).get("buyerReference")
    )
    sign_in(page, bob.email)
    page.goto("/o/alpha/documents/new/invoice/")
    # htmx binds its listeners once the deferred scripts ran: a search typed
    # before that would never be sent (seen on a loaded CI machine).
    page.wait_for_load_state("load")
    page.locator("#id_customer_query").fill(max(authority.name.split(), key=len))
    page.locator("#customer-results button", has_text=authority.name).first.click()
    reference = authority.raw["xRechnung"]["buyerReference"]
    expect(page.locator("#id_buyer_reference")).to_have_value(reference)
    expect(page.locator("#xrechnung")).to_contain_text(reference)
    expect(page.locator("#id_language")).to_have_value("de")
    _settled(page)
    page.locator("#xrechnung").scroll_into_view_if_needed()
    _shot(page, "invoice-xrechnung-de")


def test_the_lines_table_stays_inside_the_editor_card(
    page: Page, bob: Any, synced_org: Any
) -> None:
    # Found walking the demo: at 1280 px the lines table (with the discount column) ran past the
    # card's right edge, because .table-scroll was only styled on the list pages.
    sign_in(page, bob.email)
    page.goto(QUOTATION)
    edges = page.evaluate(
        """() => {
          const form = document.querySelector('form#write-region').getBoundingClientRect();
          const wrap = document.querySelector('#items .table-scroll');
          const table = wrap.querySelector('table').getBoundingClientRect();
          return {form: form.right, table: table.right, page: document.documentElement.scrollWidth,
                  width: window.innerWidth, overflow: getComputedStyle(wrap).overflowX};
        }"""
    )
    assert edges["overflow"] == "auto", edges
    assert edges["table"] <= edges["form"], edges
    assert edges["page"] <= edges["width"], edges  # no sideways scrolling of the whole page
