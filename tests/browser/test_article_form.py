"""Articles in the browser (issue 10 items 2–5): the new-article form with its live computed
price (htmx), a local GTIN error, the article's page, an edit that meets a change made in
Lexware (the side-by-side view), and a delete after its confirmation page; in German, then the
same pages in English. Tasks run inline (eager, transactional test)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

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


def test_bob_creates_edits_and_deletes_an_article(
    page: Page, bob: Any, connected: Any, demo_key: str
) -> None:
    from portal.operations.clients import in_process_simulator

    sign_in(page, bob.email)
    page.goto("/o/alpha/articles/")
    page.get_by_role("link", name="Neuer Artikel").click()
    form = page.locator("form#write-region")
    form.get_by_label("Bezeichnung").fill("Wartung Heizungsanlage")
    form.get_by_role("radio", name="Dienstleistung").check()
    form.get_by_label("Artikelnummer").fill("WH-1")
    form.get_by_label("GTIN (EAN)").fill("4006381333932")  # wrong check digit
    form.get_by_label("Einheit").fill("Stunde")
    # The computed gross price follows what is typed (htmx, lexware.totals).
    counterpart = page.locator("#counterpart-price")
    form.get_by_label("Preis", exact=True).fill("80,00")
    expect(counterpart).to_contain_text("Bruttopreis (berechnet)")
    expect(counterpart).to_contain_text("95,20 €")
    form.get_by_label("Steuersatz").select_option("7")
    expect(counterpart).to_contain_text("85,60 €")
    form.get_by_role("radio", name="Bruttopreis").check()
    expect(counterpart).to_contain_text("Nettopreis (berechnet)")
    expect(counterpart).to_contain_text("74,77 €")
    form.get_by_role("radio", name="Nettopreis").check()
    form.get_by_label("Steuersatz").select_option("19")
    expect(counterpart).to_contain_text("95,20 €")
    form.get_by_label("Beschreibung").fill("Jährliche Wartung inkl. Abgasmessung")
    screenshot(page, "article-new-de")

    with page.expect_response(lambda r: r.url.endswith("/articles/new/")):
        form.get_by_role("button", name="Artikel anlegen").click()
    form = page.locator("form#write-region")
    expect(form.locator(".field--invalid .field__errors")).to_contain_text("Prüfziffer")
    expect(form.get_by_label("Bezeichnung")).to_have_value("Wartung Heizungsanlage")
    screenshot(page, "article-new-gtin-error-de")
    form.get_by_label("GTIN (EAN)").fill("4006381333931")
    with page.expect_navigation():
        form.get_by_role("button", name="Artikel anlegen").click()
    expect(page.locator("h1")).to_have_text("Wartung Heizungsanlage")
    screenshot(page, "article-detail-de")
    article_url = page.url

    # Edit, while someone changes the title in Lexware: both versions side by side.
    page.get_by_role("link", name="Bearbeiten").click()
    form = page.locator("form#write-region")
    expect(form.get_by_label("Preis", exact=True)).to_have_value("80,00")
    screenshot(page, "article-edit-de")
    article_id = article_url.rstrip("/").rsplit("/", 1)[1]
    stored = in_process_simulator().tenant_for_key(demo_key).articles[article_id]
    stored["title"], stored["version"] = "Wartung Heizung (Lexware)", stored["version"] + 1
    form.get_by_label("Bezeichnung").fill("Wartung Heizung (Portal)")
    with page.expect_response(lambda r: "/edit/" in r.url):
        form.get_by_role("button", name="Änderungen speichern").click()
    region = page.locator("#write-region")
    expect(region).to_contain_text("Wartung Heizung (Portal)")
    expect(region).to_contain_text("Wartung Heizung (Lexware)")
    screenshot(page, "article-conflict-de")
    page.get_by_role("link", name="Meine behalten").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator("h1")).to_have_text("Wartung Heizung (Portal)")

    # Delete after the question.
    page.get_by_role("link", name="Löschen").click()
    expect(page.locator("form#write-region")).to_contain_text("nicht rückgängig")
    screenshot(page, "article-delete-de")
    page.get_by_role("button", name="Artikel löschen").click()
    # The status in place, then (operation-finished → HX-Redirect) the list.
    expect(page).to_have_url(re.compile(r"/o/alpha/articles/$"))
    assert article_id not in in_process_simulator().tenant_for_key(demo_key).articles


def test_the_article_pages_in_english(page: Page, bob: Any, connected: Any) -> None:
    bob.language = "en"
    bob.save(update_fields=["language"])
    sign_in(page, bob.email)
    page.goto("/o/alpha/articles/new/")
    form = page.locator("form#write-region")
    form.get_by_label("Title").fill("Boiler service")
    form.get_by_label("Unit").fill("hour")
    form.get_by_role("radio", name="Gross price").check()
    form.get_by_label("Price", exact=True).fill("119.00")
    expect(page.locator("#counterpart-price")).to_contain_text("€100.00")
    screenshot(page, "article-new-en")
    with page.expect_navigation():
        form.get_by_role("button", name="Create article").click()
    expect(page.locator("h1")).to_have_text("Boiler service")
    screenshot(page, "article-detail-en")
    page.get_by_role("link", name="Edit").click()
    screenshot(page, "article-edit-en")
    page.goto(page.url.replace("/edit/", "/delete/"))
    screenshot(page, "article-delete-en")
