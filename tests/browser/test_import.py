"""Import in the browser (issue 10 item 8): bob uploads a CSV with one bad row, sees the row
error in the preview before anything is sent, starts the import and downloads the error file;
then the same pages in English. Tasks run inline (eager, transactional test), so the answer
to "start" already knows the outcome. Screenshots go to IMPORT_SCREENSHOTS (default
the temporary folder)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.imports.columns import CONTACT_COLUMNS
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("IMPORT_SCREENSHOTS") or tempfile.gettempdir()


def _shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"import-{name}.png"), full_page=True, caret="initial")


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


def _file() -> bytes:
    rows = [
        {
            "company_name": "Browser Import GmbH",
            "is_customer": "ja",
            "is_vendor": "nein",
            "city": "Köln",
            "zip": "50667",
        },
        {"first_name": "Jana", "last_name": "Importeurin", "is_customer": "ja", "is_vendor": "ja"},
        {
            "company_name": "Fehlerhaft AG",
            "is_customer": "ja",
            "is_vendor": "nein",
            "email": "kein-at-zeichen",
        },
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.heading for c in CONTACT_COLUMNS])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in CONTACT_COLUMNS])
    return buffer.getvalue().encode("cp1252")  # as an older German Excel saves it


def test_bob_imports_a_csv_with_one_bad_row(page: Page, bob: Any, connected: Any) -> None:
    sign_in(page, bob.email)
    page.goto("/o/alpha/contacts/")
    page.locator(".sidenav").get_by_role("link", name="Import").click()
    expect(page.locator("h1")).to_have_text("Kontakte und Artikel importieren")
    _shot(page, "upload-de")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "kontakte.csv", "mimeType": "text/csv", "buffer": _file()}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Datei prüfen").click()
    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("2 Zeilen werden in Lexware angelegt.")
    expect(progress).to_contain_text("1 Zeile ist fehlerhaft und wird nicht gesendet.")
    expect(progress.locator("table")).to_contain_text("E-Mail")
    expect(page.locator(".facts")).to_contain_text("cp1252")
    _shot(page, "preview-de")

    with page.expect_navigation():
        page.get_by_role("button", name="2 Zeilen importieren").click()
    expect(page.locator("#import-progress h2")).to_have_text("Import abgeschlossen")
    expect(page.locator("#import-progress")).to_contain_text("2 / 2")
    _shot(page, "done-de")
    with page.expect_download() as download:
        page.get_by_role("link", name="nicht importierte Zeile").click()
    content = Path(download.value.path()).read_bytes().decode("cp1252")
    assert "Fehlerhaft AG" in content and "Fehler" in content.splitlines()[0]
    assert "Browser Import GmbH" not in content

    page.goto("/o/alpha/contacts/")
    expect(page.locator("#results")).to_contain_text("Browser Import GmbH")
    with page.expect_download() as export:
        page.get_by_role("link", name="Als CSV exportieren").click()
    assert "Browser Import GmbH" in Path(export.value.path()).read_bytes().decode("utf-8-sig")

    # The same pages in English, through the language switcher.
    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    page.goto("/o/alpha/imports/")
    expect(page.locator("h1")).to_have_text("Import contacts and articles")
    _shot(page, "upload-en")
    page.locator("table a").first.click()
    expect(page.locator("#import-progress h2")).to_have_text("Import finished")
    _shot(page, "done-en")
