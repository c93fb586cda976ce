"""Row actions in a 300-line invoice in Chromium (issue 11 item 1: up to 300 items, lines
added, removed and reordered, keyboard included). With the script the rows move, come and go
in the page (static/js/sales-editor.js) without re-rendering the editor on the server; the rows
are numbered again as the server would number them, so the totals post, the refresh and the
submit see the order on the screen, and the totals match it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Page, expect

from lexware.totals import Line, compute
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INVOICE = "/o/alpha/documents/new/invoice/"
ROWS = "table.sales-editor__lines > tbody > tr.sales-editor__line"
LONG = 20_000  # a 300-line editor rendered on a loaded machine


def _money(value: Decimal) -> str:
    from django.utils import translation

    from portal.core.templatetags.formatting import money

    with translation.override("de"):
        return money(value)


def _settled(page: Page) -> None:
    expect(
        page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    ).to_have_count(0, timeout=LONG)


def _price(name: str) -> Decimal:
    return Decimal(name.rsplit(" ", 1)[1])


def _fill_300(page: Page) -> None:
    """299 × "Add line" in the page, then every row filled: "Position k" at k euros."""
    page.evaluate(
        """() => {
          const add = document.querySelector("button[value='add:custom']");
          for (let i = 1; i < 300; i++) { add.click(); }
          for (let i = 0; i < 300; i++) {
            document.getElementById(`id_lines-${i}-name`).value = `Position ${i + 1}`;
            document.getElementById(`id_lines-${i}-unit_name`).value = "Stück";
            document.getElementById(`id_lines-${i}-unit_price`).value = String(i + 1);
          }
        }"""
    )


def _refresh(page: Page, field: str, how: str = "Enter") -> None:
    """Enter in `field` (the form's "refresh" button), or a click on the button `field`: the
    server renders the editor again."""
    page.evaluate("document.getElementById('write-region').dataset.before = '1'")
    # The long timeout covers finding the control too: on a loaded machine the page's main
    # thread can be busy with 300 rows for longer than the default.
    if how == "click":
        page.locator(field).click(timeout=LONG)
    else:
        page.locator(field).press(how, timeout=LONG)
    expect(page.locator("#write-region[data-before]")).to_have_count(0, timeout=LONG)
    _settled(page)


def _names(page: Page) -> list[str]:
    return page.evaluate(
        """(rows) => Array.from(document.querySelectorAll(rows),
             (row, i) => document.getElementById(`id_lines-${i}-name`).value)""",
        ROWS,
    )


def test_bob_reorders_adds_and_removes_rows_in_a_300_line_invoice(
    page: Page, bob: Any, synced_org: Any
) -> None:
    sign_in(page, bob.email)
    page.goto(INVOICE)
    page.evaluate("window.__marker = 1")
    _fill_300(page)
    expect(page.locator(ROWS)).to_have_count(300)
    expect(page.locator(".sales-editor__add")).to_be_hidden()
    expect(page.locator(".sales-editor__full")).to_be_visible()
    # "Save as draft": the server renders the 300 rows with their errors (line 151 has no unit).
    page.locator("#id_lines-150-unit_name").fill("", timeout=LONG)
    _refresh(page, "button[value='send']", "click")
    error = page.locator("#id_lines-150-unit_name_error")
    expect(error).to_be_visible()
    message = error.inner_text()
    expect(page.locator("#id_lines-150-unit_name")).to_have_attribute("aria-invalid", "true")
    expected = [f"Position {k}" for k in range(1, 301)]
    assert _names(page) == expected
    page.evaluate("window.__marker = 2")  # from here on nothing reloads the editor

    # Keyboard: Alt+↑ moves line 151 up, the focus with it; Alt+↓ twice moves it below 152.
    page.locator("#id_lines-150-name").focus(timeout=LONG)
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#id_lines-149-name")).to_have_value("Position 151")
    expect(page.locator("#id_lines-149-name")).to_be_focused()
    expect(page.locator("#id_lines-150-name")).to_have_value("Position 150")
    # The error went with its row and is numbered with it.
    expect(page.locator("#id_lines-149-unit_name_error")).to_have_text(message)
    expect(page.locator("#id_lines-150-unit_name_error")).to_have_count(0)
    expect(page.locator("#id_lines-149-unit_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_lines-149-unit_name")).to_have_attribute(
        "aria-describedby", "id_lines-149-unit_name_error"
    )
    page.locator("#id_lines-149-unit_name").fill("Stück", timeout=LONG)
    page.locator("#id_lines-149-name").focus(timeout=LONG)
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#id_lines-151-name")).to_be_focused()
    expected[149], expected[150] = expected[150], expected[149]
    expected[149], expected[150] = expected[150], expected[149]
    expected[150], expected[151] = expected[151], expected[150]
    # The labels and buttons carry the new numbers.
    expect(page.locator("label[for='id_lines-151-name']")).to_have_text("Position 152")
    expect(page.locator("#line-151 button[value='up:151']")).to_have_attribute(
        "aria-label", "Position 152 nach oben"
    )

    # Buttons: ↓ on the first line (it cannot go up), ✕ on the last.
    expect(page.locator("button[value='up:0']")).to_be_disabled()
    page.locator("button[value='down:0']").click(timeout=LONG)
    expected[0], expected[1] = expected[1], expected[0]
    expect(page.locator("#id_lines-0-name")).to_have_value("Position 2")
    expect(page.locator("button[value='up:0']")).to_be_disabled()
    expect(page.locator("button[value='up:1']")).to_be_enabled()
    page.locator("button[value='remove:299']").click(timeout=LONG)
    expected.pop()
    expect(page.locator(ROWS)).to_have_count(299)
    expect(page.locator("button[value='down:298']")).to_be_disabled()
    expect(page.locator(".sales-editor__add")).to_be_visible()
    expect(page.locator(".sales-editor__full")).to_be_hidden()
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("299")

    # Alt+N: a line at the end with the cursor in it; the page is full again.
    page.locator("#id_lines-10-quantity").press("Alt+n", timeout=LONG)
    expect(page.locator("#id_lines-299-name")).to_be_focused()
    page.keyboard.type("Neu 1000")
    page.locator("#id_lines-299-unit_name").fill("Stück", timeout=LONG)
    page.locator("#id_lines-299-unit_price").fill("1000", timeout=LONG)
    expected.append("Neu 1000")
    expect(page.locator(".sales-editor__full")).to_be_visible()

    # ✕ from the keyboard on line 21: the rows below move up, the focus to the next ✕.
    page.locator("button[value='remove:20']").focus(timeout=LONG)
    page.keyboard.press("Enter")
    removed = expected.pop(20)
    expect(page.locator(ROWS)).to_have_count(299)
    expect(page.locator("button[value='remove:20']")).to_be_focused()
    expect(page.locator("#id_lines-20-name")).to_have_value(expected[20])
    expect(page.locator("#id_lines-298-name")).to_have_value("Neu 1000")
    assert _names(page) == expected

    # The totals post carries the order on the screen, and the totals are those of these rows.
    with page.expect_request(lambda r: r.url.endswith("/totals/")) as posted:
        page.locator("#id_lines-0-quantity").fill("2", timeout=LONG)
    data = parse_qs(posted.value.post_data or "")
    assert data["lines-TOTAL_FORMS"] == ["299"]
    assert [data[f"lines-{i}-name"][0] for i in range(299)] == expected
    assert "lines-299-name" not in data
    assert removed not in [data[f"lines-{i}-name"][0] for i in range(299)]
    lines = [
        Line(
            quantity=Decimal(2 if i == 0 else 1),
            price=_price(name),
            tax_rate=Decimal(19),
            discount_percentage=Decimal(0),
        )
        for i, name in enumerate(expected)
    ]
    totals = compute(lines, gross_prices=False)
    expect(page.locator('[data-total="gross"]')).to_have_text(_money(totals.gross), timeout=LONG)
    expect(page.locator("#line-amount-0")).to_have_text(_money(Decimal(4)))
    expect(page.locator("#line-amount-298")).to_have_text(_money(Decimal(1000)))
    assert page.evaluate("window.__marker") == 2

    # The server, shown the same form, renders the same order.
    _refresh(page, "#id_lines-5-name")
    expect(page.locator(ROWS)).to_have_count(299)
    expect(page.locator("#id_lines-0-quantity")).to_have_value("2")
    assert _names(page) == expected
