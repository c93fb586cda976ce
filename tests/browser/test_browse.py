"""Browsing the mirror of a fully synced demo company: the contacts search and the documents
status filter update in place through htmx, a document shows its line items and totals, and
amounts follow the language chosen in the profile (German `1.234,56 €`, English `€1,234.56`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def euro_de(amount: Any) -> str:
    return f"{Decimal(str(amount)):,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".")


def euro_en(amount: Any) -> str:
    return f"€{Decimal(str(amount)):,.2f}"


def _htmx_get(path_fragment: str) -> Any:
    def matches(response: Response) -> bool:
        return (
            path_fragment in response.url and response.request.headers.get("hx-request") == "true"
        )

    return matches


def _tenant(demo_key: str) -> Any:
    from portal.operations.clients import in_process_simulator

    return in_process_simulator().tenant_for_key(demo_key)


def _contact_name(contact: dict[str, Any]) -> str:
    person = contact.get("person") or {}
    return (contact.get("company") or {}).get(
        "name"
    ) or f"{person.get('firstName', '')} {person.get('lastName', '')}"


def test_the_contact_search_narrows_the_list_in_place(
    page: Page, alice, org_a, synced_org, demo_key
) -> None:
    contacts = _tenant(demo_key).contacts.values()
    needle = "Neumann"
    expected = [c for c in contacts if needle.lower() in _contact_name(c).lower()]
    assert 0 < len(expected) < len(contacts)

    sign_in(page, alice.email)
    page.locator(".sidenav").get_by_role("link", name="Kontakte").click()
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(min(len(contacts), 50))
    page.evaluate("window.__marker = 1")

    with page.expect_response(_htmx_get(f"q={needle}")) as answer:
        page.get_by_role("searchbox").press_sequentially(needle, delay=30)
    assert answer.value.status == 200
    expect(rows).to_have_count(len(expected))
    for row in rows.all():
        assert needle.lower() in row.inner_text().lower()
    # htmx pushed the filtered URL, so it can be shared or bookmarked; no full page load.
    expect(page).to_have_url(re.compile(rf"/o/{org_a.slug}/contacts/\?q={needle}(&|$)"))
    assert page.evaluate("window.__marker") == 1
    screenshot(page, "contacts-search")


def test_documents_filter_by_status_detail_and_language(
    page: Page, alice, org_a, synced_org, demo_key
) -> None:
    sales = [d for d in _tenant(demo_key).sales.values() if d["_type"] != "dunning"]
    paid = [d for d in sales if d.get("voucherStatus") == "paid"]
    # A paid invoice above 1,000 € shows both separators of each language.
    invoice = max(
        (d for d in paid if d["_type"] == "invoice"),
        key=lambda d: d["totalPrice"]["totalGrossAmount"],
    )
    gross = invoice["totalPrice"]["totalGrossAmount"]
    assert gross >= 1000

    sign_in(page, alice.email)
    page.locator(".sidenav").get_by_role("link", name="Belege").click()
    count = page.locator("#results .result-count")
    expect(count).to_have_text(f"{len(sales)} Einträge")
    page.evaluate("window.__marker = 1")

    with page.expect_response(_htmx_get("status=paid")):
        page.locator("select[name=status]").select_option("paid")
    expect(count).to_have_text(f"{len(paid)} Einträge")
    badges = page.locator("#results tbody tr .badge")
    expect(badges).to_have_count(min(len(paid), 50))
    assert set(badges.all_inner_texts()) == {"Bezahlt"}
    assert page.evaluate("window.__marker") == 1

    with page.expect_response(_htmx_get(f"q={invoice['voucherNumber']}")):
        page.get_by_role("searchbox").fill(invoice["voucherNumber"])
    expect(page.locator("#results tbody tr")).to_have_count(1)
    screenshot(page, "documents-filtered")
    page.locator("#results tbody tr a", has_text=invoice["voucherNumber"]).click()

    # The detail page: every line item, and totals in German.
    expect(page.locator("h1")).to_contain_text(invoice["voucherNumber"])
    lines = page.locator("table.table--lines tbody tr")
    expect(lines).to_have_count(len(invoice["lineItems"]))
    for line, item in zip(lines.all(), invoice["lineItems"], strict=True):
        expect(line).to_contain_text(item["name"])
    totals = page.locator(".facts--amounts")
    expect(totals.locator("dd.strong").first).to_have_text(euro_de(gross))
    expect(totals).to_contain_text(euro_de(invoice["totalPrice"]["totalNetAmount"]))
    detail_url = page.url
    screenshot(page, "document-detail-de")

    # Switch to English in the profile; the same page now shows English amounts.
    page.locator(".usermenu summary").click()
    page.locator(".usermenu").get_by_role("link", name="Profil").click()
    page.locator("select[name=language]").select_option("en")
    with page.expect_navigation():
        page.locator("#profile-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(detail_url)
    expect(page.locator(".facts--amounts dd.strong").first).to_have_text(euro_en(gross))
    expect(page.locator(".facts--amounts")).to_contain_text(
        euro_en(invoice["totalPrice"]["totalNetAmount"])
    )
    expect(page.locator("h1 .badge")).to_have_text("Paid")
    screenshot(page, "document-detail-en")


def test_a_list_opened_before_the_first_sync_shows_the_rows_after_it(
    page: Page, alice, org_a, demo_key
) -> None:
    from django.core.cache import cache

    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.organizations.models import ConnectionStatus, LexwareConnection
    from portal.sync.services import sync_start

    cache.clear()
    sign_in(page, alice.email)
    page.goto(f"/o/{org_a.slug}/contacts/")
    expect(page.locator("#results .empty")).to_be_visible()
    LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(demo_key),
        key_last_four=demo_key[-4:],
        key_fingerprint=key_fingerprint(demo_key),
        status=ConnectionStatus.OK,
    )
    sync_start(organization=org_a)
    page.reload()
    expect(page.locator("#results tbody tr")).to_have_count(50, timeout=2_000)
