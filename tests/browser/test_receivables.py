"""Receivables and the dunning run in chromium, on a fully synced demo company (issue 14):
alice opens the receivables page, the buckets add up to the dashboard's open total, she opens
"over 90 days", starts a dunning run for two customers and finds the dunnings on the invoices.
Screenshots in German and English go to /tmp/shots-rv/ (the system's temp folder)."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.documents.models import Document
from portal.documents.selectors import dashboard_figures
from portal.operations.clients import client_for_connection
from portal.receivables import selectors
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.path.join(tempfile.gettempdir(), "shots-rv")


def shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True, caret="initial")


def test_demo_figures_equal_the_voucherlist_rows(org_a: Any, synced_org: Any) -> None:
    # The truth is Lexware's own voucherlist, read again past the mirror.
    with client_for_connection(synced_org) as client:
        rows = [
            row.to_api()
            for row in client.voucherlist.iter_all(
                voucher_type=["invoice", "downpaymentinvoice"], voucher_status="any"
            )
        ]
    expected = Decimal("0")
    count = 0
    for row in rows:
        if row.get("voucherStatus") in ("open", "overdue"):
            amount = row.get("openAmount")
            expected += Decimal(str(amount if amount is not None else row["totalAmount"]))
            count += 1
    aging = selectors.aging(organization=org_a)
    assert count > 5, "the demo company has open invoices"
    assert (aging.count, aging.amount) == (count, expected.quantize(Decimal("0.01")))
    dashboard = dashboard_figures(organization=org_a)
    assert (aging.amount, aging.overdue_amount) == (dashboard.open_total, dashboard.overdue_total)


def test_alice_reads_receivables_and_runs_dunnings(
    page: Page, alice: Any, org_a: Any, synced_org: Any
) -> None:
    sign_in(page, alice.email)
    page.goto("/o/alpha/receivables/")
    expect(page.locator("h1")).to_have_text("Forderungen")
    expect(page.locator("svg.chart__svg")).to_have_count(2)
    shot(page, "receivables-de")
    page.emulate_media(media="print")
    shot(page, "receivables-de-print")
    page.emulate_media(media="screen")
    page.locator("table a", has_text="Über 90 Tage").first.click()
    expect(page.locator("h1")).to_contain_text("Über 90 Tage")
    shot(page, "bucket-over-90-de")

    page.goto("/o/alpha/receivables/dunning/")
    expect(page.locator("h1")).to_have_text("Mahnlauf")
    shot(page, "dunning-de")
    groups = page.locator("section.dunning-group")
    assert groups.count() >= 2
    chosen = []
    for index in range(2):
        boxes = groups.nth(index).locator("input[type=checkbox]")
        for box in range(boxes.count()):
            boxes.nth(box).check()
            chosen.append(boxes.nth(box).get_attribute("value"))
    page.get_by_role("button", name="Mahnungen für die gewählten Rechnungen erstellen").click()
    expect(page.locator("#run-progress")).to_contain_text(
        f"{len(chosen)} von {len(chosen)} Mahnungen erstellt"
    )
    shot(page, "dunning-run-de")
    page.goto(f"/o/alpha/documents/{chosen[0]}/")
    expect(page.locator("body")).to_contain_text("Mahnung")
    shot(page, "invoice-with-dunning-de")
    # The dunned invoices are not offered again within 14 days.
    page.goto("/o/alpha/receivables/dunning/")
    for invoice_id in chosen:
        expect(page.locator(f"input[value='{invoice_id}']")).to_have_count(0)


def test_receivables_in_english(page: Page, alice: Any, org_a: Any, synced_org: Any) -> None:
    alice.language = "en"
    alice.save(update_fields=["language"])
    sign_in(page, alice.email)
    page.goto("/o/alpha/receivables/")
    expect(page.locator("h1")).to_have_text("Receivables")
    shot(page, "receivables-en")
    page.locator("a.chart-link").last.click()
    expect(page.locator("h1")).to_contain_text("Over 90 days")
    shot(page, "bucket-over-90-en")
    page.goto("/o/alpha/receivables/dunning/")
    shot(page, "dunning-en")
    contact = (
        Document.objects.filter(
            organization=org_a, voucher_type="invoice", status__in=("open", "overdue")
        )
        .exclude(contact_lexware_id=None)
        .values_list("contact_lexware_id", flat=True)
        .first()
    )
    page.goto(f"/o/alpha/contacts/{contact}/")
    expect(page.locator("body")).to_contain_text("Open items")
    shot(page, "contact-open-items-en")
