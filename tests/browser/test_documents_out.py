"""Documents out in Chromium (issue 12): alice fetches a finalized invoice's PDF on its page,
downloads it (checked with pypdf: it carries the invoice number), sees the preview, creates a
customer link; the link opens in a fresh browser without a login and downloads the PDF; after
alice revokes it the link answers 404; she sends the invoice by e-mail and the document's
history shows it; two ticked invoices become one ZIP of their PDFs (bulk export). Screenshots in German and English are kept in
PORTAL_SCREENSHOT_DIR (default var/screenshots).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(
    os.environ.get("PORTAL_SCREENSHOT_DIR", Path(settings.BASE_DIR) / "var" / "screenshots")
)


def keep(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")


def _finalized_invoice(org_slug: str) -> Any:
    from portal.documents.models import Document

    invoice = (
        Document.objects.filter(
            organization__slug=org_slug,
            voucher_type="invoice",
            status__in=("open", "overdue"),
            details_synced_at__isnull=False,
        )
        .order_by("-total_amount")
        .first()
    )
    assert invoice is not None
    return invoice


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_staff_download_then_the_customer_link_opens_without_login_until_revoked(
    page: Page, browser: Browser, live_server: Any, alice, org_a, synced_org
) -> None:
    invoice = _finalized_invoice(org_a.slug)
    sign_in(page, alice.email)
    # Alice enters the bank account customers pay into (organization settings).
    page.goto(f"/o/{org_a.slug}/settings/")
    page.get_by_label("Kontoinhaber").fill("Alpha Werkstatt GmbH")
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 01")
    page.get_by_role("button", name="Bankverbindung speichern").click()
    expect(page.locator("#id_iban_error")).to_contain_text("keine gültige IBAN")
    page.get_by_label("IBAN").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_role("button", name="Bankverbindung speichern").click()
    expect(page.locator("#bank-account")).to_contain_text("Die Bankverbindung ist gespeichert")
    expect(page.get_by_label("BIC")).to_have_value("COBADEFFXXX")
    keep(page, "documents-out-settings-de")
    page.goto(f"/o/{org_a.slug}/documents/{invoice.lexware_id}/")
    files = page.locator("#document-files")
    files.get_by_role("button", name="PDF aus Lexware abrufen").click()
    download_button = files.get_by_role("link", name="PDF herunterladen")
    expect(download_button).to_be_visible()  # the worker's fetch ran; the panel reloaded
    expect(files.locator("iframe.pdf-preview")).to_be_attached()
    with page.expect_download() as info:
        download_button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert invoice.voucher_number in _pdf_text(Path(download.path()).read_bytes())
    page.wait_for_timeout(1500)  # let Chromium's PDF viewer draw the preview for the screenshot
    keep(page, "documents-out-staff-de")

    # A customer link, shown once.
    page.locator("#share-panel").get_by_role("link", name="Mit dem Kunden teilen").click()
    page.get_by_role("button", name="Link erstellen").click()
    shown = page.locator(".share-url")
    expect(shown).to_be_visible()
    link_path = re.sub(r"^https?://[^/]+", "", shown.inner_text().strip())
    keep(page, "documents-out-links-de")

    # The customer: a fresh browser, no account.
    customer = browser.new_context(base_url=live_server.url, locale="de-DE")
    visitor = customer.new_page()
    response = visitor.goto(link_path)
    assert response is not None and response.status == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    token = link_path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in visitor.url and "/s/v/" in visitor.url  # exchanged for a cookie (L6)
    expect(visitor.locator("h1")).to_contain_text(invoice.voucher_number)
    # The GiroCode: a server-drawn SVG with the IBAN and the invoice number beside it.
    giro = visitor.locator(".girocode")
    expect(giro.locator("svg path")).to_be_attached()
    expect(giro).to_contain_text("DE89370400440532013000")
    expect(giro).to_contain_text(invoice.voucher_number)
    expect(visitor.locator("body")).to_contain_text(synced_org.company_name)
    visitor.wait_for_timeout(1500)
    keep(visitor, "documents-out-customer-de")
    with visitor.expect_download() as info:
        visitor.get_by_role("link", name="PDF herunterladen").click()
    assert invoice.voucher_number in _pdf_text(Path(info.value.path()).read_bytes())
    assert not [c for c in customer.cookies() if "session" in c["name"]]
    with visitor.expect_navigation():
        visitor.locator(".langswitch").get_by_role("link", name="English").click()
    expect(visitor.get_by_role("link", name="Download PDF")).to_be_visible()
    keep(visitor, "documents-out-customer-en")

    # The access log shows the customer's visit; then alice revokes the link.
    page.reload()
    expect(page.locator(".access-log")).to_contain_text("PDF-Download")
    page.get_by_role("button", name="Zurückziehen").click()
    expect(page.locator(".badge--error")).to_be_visible()
    keep(page, "documents-out-links-revoked-de")
    gone = visitor.reload()  # the token-free page, with the cookie: stops at once (L8)
    assert gone is not None and gone.status == 404
    gone = visitor.goto(link_path)
    assert gone is not None and gone.status == 404
    keep(visitor, "documents-out-customer-404-en")
    customer.close()

    # Alice sends the invoice by e-mail; the document's history shows it.
    page.goto(f"/o/{org_a.slug}/documents/email/{invoice.lexware_id}/")
    expect(page.locator("input[name=subject]")).to_have_value(re.compile(invoice.voucher_number))
    keep(page, "documents-out-email-de")
    with page.expect_navigation():
        page.get_by_role("button", name="Senden").click()
    expect(page.locator("#email-panel")).to_contain_text("Gesendet")
    keep(page, "documents-out-history-de")

    # The staff pages in English.
    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    keep(page, "documents-out-links-en")
    page.goto(f"/o/{org_a.slug}/documents/{invoice.lexware_id}/")
    expect(page.locator("#document-files")).to_contain_text("Download PDF")
    keep(page, "documents-out-staff-en")
    page.goto(f"/o/{org_a.slug}/documents/email/{invoice.lexware_id}/")
    keep(page, "documents-out-email-en")


def test_bulk_export_of_ticked_invoices_downloads_one_zip(
    page: Page, live_server: Any, alice, org_a, synced_org
) -> None:
    """Two ticked invoices → the export page (a worker fetched the PDFs and built the ZIP;
    Celery is eager here) → one ZIP with both PDFs, each carrying its invoice number."""
    import zipfile

    sign_in(page, alice.email)
    page.goto(f"/o/{org_a.slug}/documents/?type=invoice&status=open")
    boxes = page.locator("input[form=pdf-export]")
    numbers = [boxes.nth(i).get_attribute("aria-label") for i in range(2)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Angehakte exportieren").click()
    page.wait_for_url("**/exports/**")
    download_button = page.get_by_role("link", name="ZIP herunterladen")
    expect(download_button).to_be_visible()
    keep(page, "documents-out-export-de")
    with page.expect_download() as info:
        download_button.click()
    archive = zipfile.ZipFile(info.value.path())
    assert len(archive.namelist()) == 2
    texts = [_pdf_text(archive.read(name)) for name in archive.namelist()]
    for number in numbers:
        assert number and any(number in text for text in texts), number
