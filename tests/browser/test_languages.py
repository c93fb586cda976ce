"""German first, English on request, in a real browser (issue 9).

A browser that asks for German walks the main pages of the synced demo company and reads
German; the language switcher in the top bar turns every page English (and stays so, being
saved in the profile); the switcher on the sign-in page works without an account. Screenshots
of the dashboard and of a document in both languages are kept as test artifacts in
var/screenshots (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.portal.i18n.test_german_pages import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(
    os.environ.get("PORTAL_SCREENSHOT_DIR", Path(settings.BASE_DIR) / "var" / "screenshots")
)
MAIN_PAGES = [
    "",
    "contacts/",
    "articles/",
    "documents/",
    "bookkeeping/",
    "operations/",
    "members/",
    "connection/",
    "sync/",
]


def keep(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")


def _document_path(org_slug: str) -> str:
    from portal.documents.models import Document

    invoice = (
        Document.objects.filter(
            organization__slug=org_slug, voucher_type="invoice", details_synced_at__isnull=False
        )
        .order_by("-total_amount")
        .first()
    )
    assert invoice is not None
    return f"/o/{org_slug}/documents/{invoice.lexware_id}/"


def test_main_pages_in_german_then_english_through_the_switcher(
    page: Page, alice, org_a, synced_org
) -> None:
    sign_in(page, alice.email)
    base = f"/o/{org_a.slug}/"
    document = _document_path(org_a.slug)
    for path in [*MAIN_PAGES, document]:
        page.goto(base + path if not path.startswith("/") else path)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        assert english_words(page.content()) == [], (path, english_words(page.content()))
        if not path.startswith("/"):
            keep(page, "page-de-" + (path.strip("/") or "dashboard"))
    page.goto(base)
    expect(page.locator(".sidenav [aria-current=page]")).to_have_text("Übersicht")
    keep(page, "dashboard-de")
    page.goto(document)
    expect(page.locator(".facts--amounts")).to_contain_text("€")
    keep(page, "document-de")

    # The switcher in the top bar: back on the same page, now English, and saved in the profile.
    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{page.url.split('/o/')[0]}{document}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    alice.refresh_from_db()
    assert alice.language == "en"
    keep(page, "document-en")
    seen_german = []
    for path in MAIN_PAGES:
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        text = page.locator("body").inner_text()
        seen_german += [
            (path, word)
            for word in ("Rechnung", "Kontakte", "Speichern", "Übersicht")
            if word in text
        ]
    assert not seen_german
    page.goto(base)
    expect(page.locator(".sidenav [aria-current=page]")).to_have_text("Overview")
    keep(page, "dashboard-en")
    expect(
        page.locator(".topbar .langswitch").get_by_role("button", name="Deutsch")
    ).to_be_visible()


def test_the_sign_in_page_switches_language_without_an_account(page: Page) -> None:
    page.goto("/accounts/login/")
    expect(page.locator("h1")).to_have_text("Anmelden")  # the browser asks for German
    with page.expect_navigation():
        page.locator(".langswitch").get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.reload()  # remembered in the language cookie
    expect(page.locator("h1")).to_have_text("Sign in")
    with page.expect_navigation():
        page.locator(".langswitch").get_by_role("button", name="Deutsch").click()
    expect(page.locator("h1")).to_have_text("Anmelden")
