"""A contact with two addresses created and then edited in the browser (issue 10 item 8):
rows added over htmx, the edit form from the mirror, a change made in Lexware meanwhile shown
side by side, "keep mine". Tasks run inline (eager, transactional test). Screenshots in German
and English land in the temporary folder (browser-contact-*.png)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import TIMEOUT_MS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def connected(org_a: Any, demo_key: str) -> Any:
    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.organizations.models import ConnectionStatus, LexwareConnection

    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(demo_key),
        key_last_four=demo_key[-4:],
        key_fingerprint=key_fingerprint(demo_key),
        status=ConnectionStatus.OK,
    )


def _stored(demo_key: str, contact_id: str) -> dict[str, Any]:
    from portal.operations.clients import in_process_simulator

    return in_process_simulator().tenant_for_key(demo_key).contacts[contact_id]  # type: ignore[no-any-return]


def test_bob_creates_a_contact_with_two_addresses_and_edits_it(
    page: Page, bob: Any, connected: Any, demo_key: str, browser: Browser, live_server: Any
) -> None:
    from portal.operations.models import Operation

    sign_in(page, bob.email)
    page.goto("/o/alpha/contacts/new/")
    form = page.locator("form#write-region")
    form.get_by_label("Firmenname").fill("Zwei Adressen GmbH")
    form.get_by_label("USt-IdNr.").fill("de123456789")
    form.locator("input[name='billing-0-street']").fill("Rathausplatz 1")
    form.locator("input[name='billing-0-zip']").fill("80331")
    form.locator("input[name='billing-0-city']").fill("München")
    page.evaluate("window.__marker = 1")
    with page.expect_response(lambda r: r.url.endswith("/contacts/new/")):
        form.get_by_role("button", name="Lieferadresse hinzufügen").click()
    form = page.locator("form#write-region")
    expect(form.locator("input[name='shipping-0-street']")).to_be_visible()
    expect(form.locator("input[name='billing-0-city']")).to_have_value("München")  # kept
    assert page.evaluate("window.__marker") == 1  # htmx swapped the form, no reload
    form.locator("input[name='shipping-0-street']").fill("Lagerweg 9")
    form.locator("input[name='shipping-0-zip']").fill("80339")
    form.locator("input[name='shipping-0-city']").fill("München")
    with page.expect_response(lambda r: r.url.endswith("/contacts/new/")):
        form.get_by_role("button", name="Ansprechpartner hinzufügen").click()
    form = page.locator("form#write-region")
    form.locator("input[name='persons-0-first_name']").fill("Jana")
    form.locator("input[name='persons-0-last_name']").fill("Sommer")
    form.get_by_label("Mobil").fill("0170 1234567")
    form.get_by_label("Leitweg-ID").fill("04011000-1234512345-06")
    form.get_by_label("Unsere Lieferantennummer beim Kunden").fill("K-4711")
    screenshot(page, "contact-form-de")
    with page.expect_navigation():
        form.get_by_role("button", name="Kontakt anlegen").click()
    expect(page.locator("h1")).to_have_text("Zwei Adressen GmbH")
    contact_id = Operation.objects.get(kind="contact.create").target_id
    stored = _stored(demo_key, contact_id)
    assert [a["street"] for a in stored["addresses"]["billing"]] == ["Rathausplatz 1"]
    assert [a["street"] for a in stored["addresses"]["shipping"]] == ["Lagerweg 9"]
    assert stored["company"]["vatRegistrationId"] == "DE123456789"

    # Edit: the form comes from the mirror; change the shipping city and add a note.
    with page.expect_navigation():
        page.get_by_role("link", name="Bearbeiten").click()
    form = page.locator("form#write-region")
    expect(form.locator("input[name='shipping-0-street']")).to_have_value("Lagerweg 9")
    expect(form.locator("input[name='persons-0-last_name']")).to_have_value("Sommer")
    form.locator("input[name='shipping-0-city']").fill("Garching")
    form.get_by_label("Notiz").fill("Lieferungen nur vormittags")
    screenshot(page, "contact-edit-de")
    with page.expect_navigation():
        form.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator("h1")).to_have_text("Zwei Adressen GmbH")
    stored = _stored(demo_key, contact_id)
    assert stored["addresses"]["shipping"][0]["city"] == "Garching"
    assert stored["note"] == "Lieferungen nur vormittags" and stored["version"] == 2

    # Someone renames it in Lexware while bob edits: both versions, and bob keeps his.
    with page.expect_navigation():
        page.get_by_role("link", name="Bearbeiten").click()
    form = page.locator("form#write-region")
    form.get_by_label("Firmenname").fill("Zwei Adressen AG")
    stored["company"]["name"] = "Zwei Adressen (Lexware) GmbH"
    stored["version"] += 1
    with page.expect_response(lambda r: "/edit/" in r.url):
        form.get_by_role("button", name="Änderungen speichern").click()
    region = page.locator("#write-region")
    expect(region).to_contain_text("Inzwischen in Lexware geändert")
    expect(region.locator(".conflict-row--differs")).to_contain_text("Zwei Adressen AG")
    expect(region.locator(".conflict-row--differs")).to_contain_text("Zwei Adressen (Lexware) GmbH")
    screenshot(page, "contact-conflict-de")
    conflict_url = page.url
    with page.expect_navigation():
        region.get_by_role("link", name="Meine behalten").click()
    form = page.locator("form#write-region")
    expect(form.get_by_label("Firmenname")).to_have_value("Zwei Adressen AG")
    with page.expect_navigation():
        form.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator("h1")).to_have_text("Zwei Adressen AG")
    stored = _stored(demo_key, contact_id)
    assert stored["company"]["name"] == "Zwei Adressen AG" and stored["version"] == 4
    assert stored["addresses"]["shipping"][0]["city"] == "Garching"

    # A second "Zwei Adressen AG" is caught before anything is sent.
    page.goto("/o/alpha/contacts/new/")
    form = page.locator("form#write-region")
    form.get_by_label("Firmenname").fill("zwei adressen ag")
    with page.expect_response(lambda r: r.url.endswith("/contacts/new/")):
        form.get_by_role("button", name="Kontakt anlegen").click()
    warning = page.locator(".duplicates")
    expect(warning).to_contain_text("Möglicherweise schon vorhanden")
    expect(warning.get_by_role("link", name="öffnen")).to_be_visible()
    expect(warning.get_by_role("button", name="Trotzdem anlegen")).to_be_visible()
    screenshot(page, "contact-duplicate-de")
    assert Operation.objects.filter(kind="contact.create").count() == 1

    # The same pages in English.
    english = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    english.set_default_timeout(TIMEOUT_MS)
    tab = english.new_page()
    sign_in(tab, bob.email)
    tab.goto("/o/alpha/contacts/new/")
    expect(tab.locator("h1")).to_have_text("New contact")
    screenshot(tab, "contact-form-en")
    tab.goto(f"/o/alpha/contacts/{contact_id}/edit/")
    expect(tab.locator("h1")).to_have_text("Edit contact")
    screenshot(tab, "contact-edit-en")
    tab.goto("/o/alpha/contacts/new/")
    form = tab.locator("form#write-region")
    form.get_by_label("Company name").fill("Zwei Adressen AG")
    with tab.expect_response(lambda r: r.url.endswith("/contacts/new/")):
        form.get_by_role("button", name="Create contact").click()
    expect(tab.locator(".duplicates")).to_contain_text("Possibly already there")
    screenshot(tab, "contact-duplicate-en")
    tab.goto(conflict_url)
    expect(tab.locator("#write-region")).to_contain_text("Changed in Lexware in the meantime")
    screenshot(tab, "contact-conflict-en")
    english.close()
