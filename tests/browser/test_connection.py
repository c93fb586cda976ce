"""The Lexware connection page: an owner enters an API key, the htmx form swaps the panel in
place and shows the verification result from the simulator; the key never comes back to the
browser (DESIGN.md §2 principle 5, reliability.md K1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_connects_lexware_without_a_page_reload(page: Page, alice, org_a, demo_key) -> None:
    from portal.operations.clients import in_process_simulator

    company = in_process_simulator().tenant_for_key(demo_key).company_name
    sign_in(page, alice.email)
    page.get_by_role("link", name="Lexware-Verbindung").click()
    connection_url = f"/o/{org_a.slug}/connection/"
    expect(page).to_have_url(page.url.split("/o/")[0] + connection_url)
    panel = page.locator("#connection-panel")
    expect(panel).to_contain_text("Diese Organisation ist noch nicht mit Lexware verbunden.")
    url_before = page.url
    page.evaluate("window.__marker = 1")

    key_field = panel.locator("input[name=api_key]")
    expect(key_field).to_have_attribute("type", "password")
    key_field.fill(demo_key)
    # Eager Celery runs the verification and the first sync of the demo company inside this
    # request (about 5 s on a quiet machine): more than the default 10 s under load.
    with page.expect_response(
        lambda r: r.url.endswith(connection_url + "save/"), timeout=60_000
    ) as answer:
        panel.get_by_role("button", name="Speichern und prüfen").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    assert answer.value.status == 200

    # The verify operation ran during the request (eager task against the simulator).
    panel = page.locator("#connection-panel")
    expect(panel.locator(".facts .badge--ok")).to_have_text("Verbunden")
    expect(panel).to_contain_text(company)
    expect(panel.locator("code", has_text=demo_key[-4:])).to_have_text("••••••••" + demo_key[-4:])
    expect(panel.locator(".job-status--succeeded")).to_be_visible()
    # Swapped in place: same URL, and the page's JavaScript state survived.
    assert page.url == url_before
    assert page.evaluate("window.__marker") == 1
    screenshot(page, "connection")

    # The key is nowhere in the DOM, in no field value, in no storage: only its last four.
    assert demo_key not in page.content()
    values = page.evaluate("Array.from(document.querySelectorAll('input')).map(i => i.value)")
    assert all(demo_key not in value for value in values)
    stored = page.evaluate("JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
    assert demo_key not in stored
    # A fresh load of the page shows the same, still without the key.
    page.reload()
    expect(page.locator("#connection-panel .facts .badge--ok")).to_have_text("Verbunden")
    assert demo_key not in page.content()


def test_a_malformed_key_is_refused_next_to_the_field(page: Page, alice, org_a, demo_key) -> None:
    sign_in(page, alice.email)
    page.goto(f"/o/{org_a.slug}/connection/")
    page.evaluate("window.__marker = 1")
    panel = page.locator("#connection-panel")
    panel.locator("input[name=api_key]").fill("short key!")
    with page.expect_response(lambda r: r.url.endswith("/connection/save/")):
        panel.get_by_role("button", name="Speichern und prüfen").click()
    field = page.locator("#connection-panel .field--invalid")
    expect(field.locator(".field__errors")).to_have_text(
        "Das ist zu kurz für einen Lexware-API-Schlüssel."
    )
    expect(page.locator("#connection-panel")).to_contain_text(
        "Diese Organisation ist noch nicht mit Lexware verbunden."
    )
    assert page.evaluate("window.__marker") == 1
