"""New contact in the browser (DESIGN.md §7): the htmx form swaps in place, Lexware's 406 lands
next to its field with the input kept, and success opens the contact's page. Tasks run inline
(eager, transactional test), so the answer to the POST already knows the outcome."""

from __future__ import annotations

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


def test_bob_creates_a_company_after_correcting_what_lexware_refused(
    page: Page, bob: Any, connected: Any
) -> None:
    sign_in(page, bob.email)
    page.goto("/o/alpha/contacts/")
    page.get_by_role("link", name="Neuer Kontakt").click()
    expect(page).to_have_url(page.url.split("/o/")[0] + "/o/alpha/contacts/new/")
    form = page.locator("form#write-region")
    # Company or person: the radio button shows one group of name fields (CSS only).
    expect(form.locator("input[name=company_name]")).to_be_visible()
    expect(form.locator("input[name=last_name]")).to_be_hidden()
    form.get_by_role("radio", name="Person").check()
    expect(form.locator("input[name=last_name]")).to_be_visible()
    expect(form.locator("input[name=company_name]")).to_be_hidden()
    form.get_by_role("radio", name="Firma").check()

    form.get_by_label("Firmenname").fill("Browser Bau GmbH")
    form.get_by_label("E-Mail (geschäftlich)").fill("info@browserbau.example")
    form.get_by_label("Straße").fill("Am Markt 1")
    form.get_by_label("PLZ").fill("10115")
    form.get_by_label("Ort", exact=True).fill("Berlin")
    form.get_by_label("Ländercode").fill("XX")  # two letters: the form takes it, Lexware does not
    page.evaluate("window.__marker = 1")
    with page.expect_response(lambda r: r.url.endswith("/contacts/new/")) as answer:
        form.get_by_role("button", name="Kontakt anlegen").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    form = page.locator("form#write-region")
    country = form.locator(
        ".field--invalid", has=page.locator("input[name='billing-0-country_code']")
    )
    expect(country.locator(".field__errors")).to_contain_text("Lexware")
    expect(form.get_by_label("Firmenname")).to_have_value("Browser Bau GmbH")
    expect(form.get_by_label("Ort", exact=True)).to_have_value("Berlin")
    assert page.evaluate("window.__marker") == 1  # swapped in place, no reload
    screenshot(page, "contact-create-406")

    form.get_by_label("Ländercode").fill("DE")
    with page.expect_navigation():
        form.get_by_role("button", name="Kontakt anlegen").click()
    expect(page.locator("h1")).to_have_text("Browser Bau GmbH")
    assert "/o/alpha/contacts/" in page.url and "/new/" not in page.url
    screenshot(page, "contact-create-done")


@pytest.fixture
def lexware_unreachable(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.LEXWARE_IN_PROCESS_SIMULATOR = False
    settings.LEXWARE_BASE_URL = f"http://127.0.0.1:{port}"
    # The retry would run inline at once (eager tasks); a worker runs it later.
    monkeypatch.setattr("portal.operations.runner.enqueue", lambda pk, **kw: True)


def _lexware_back(settings: Any) -> None:
    settings.LEXWARE_IN_PROCESS_SIMULATOR = True
    settings.LEXWARE_BASE_URL = "https://api.lexware.io"


def test_the_waiting_page_opens_the_contact_once_the_worker_got_through(
    page: Page, bob: Any, connected: Any, settings: Any, lexware_unreachable: None
) -> None:
    """The job status polls; when it finishes it fires `operation-finished`, the region asks
    its status URL, and that answers with HX-Redirect to the new contact's page."""
    from portal.operations import runner
    from portal.operations.models import Operation

    sign_in(page, bob.email)
    page.goto("/o/alpha/contacts/new/")
    form = page.locator("form#write-region")
    form.get_by_label("Firmenname").fill("Spät Erreicht AG")
    with page.expect_response(lambda r: r.url.endswith("/contacts/new/")):
        form.get_by_role("button", name="Kontakt anlegen").click()
    expect(page.locator("#write-region")).to_contain_text("vorübergehend nicht erreichbar")
    _lexware_back(settings)
    op = Operation.objects.get(kind="contact.create")
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)  # what the worker's delayed retry does
    expect(page.locator("h1")).to_have_text("Spät Erreicht AG")
    assert "/new/" not in page.url


def test_while_lexware_is_unreachable_the_input_waits_and_can_be_edited(
    page: Page, bob: Any, connected: Any, settings: Any, lexware_unreachable: None
) -> None:
    from portal.operations.models import Operation, OperationState

    sign_in(page, bob.email)
    page.goto("/o/alpha/contacts/new/")
    form = page.locator("form#write-region")
    form.get_by_role("radio", name="Person").check()
    form.get_by_label("Vorname").fill("Jana")
    form.get_by_label("Nachname").fill("Sommer")
    form.get_by_label("Ort", exact=True).fill("Köln")
    form.get_by_role("checkbox", name="Lieferant").check()
    with page.expect_response(lambda r: r.url.endswith("/contacts/new/")):
        form.get_by_role("button", name="Kontakt anlegen").click()
    status = page.locator("#write-region")
    expect(status).to_contain_text("vorübergehend nicht erreichbar")
    screenshot(page, "contact-create-waiting")
    # The address bar names the job: a reload shows it again instead of an empty form.
    code = str(Operation.objects.get(kind="contact.create").code)
    assert page.url.endswith(f"/o/alpha/contacts/new/{code}/")
    page.reload()
    status = page.locator("#write-region")
    expect(status).to_contain_text("vorübergehend nicht erreichbar")

    with page.expect_navigation():
        status.get_by_role("link", name="Eingabe bearbeiten").click()
    form = page.locator("form#write-region")
    expect(form.get_by_label("Nachname")).to_have_value("Sommer")
    expect(form.get_by_label("Ort", exact=True)).to_have_value("Köln")
    expect(form.get_by_role("checkbox", name="Lieferant")).to_be_checked()
    expect(form).to_contain_text("wartet noch auf Lexware")
    screenshot(page, "contact-create-reopened")

    _lexware_back(settings)
    form.get_by_label("Vorname").fill("Janine")
    with page.expect_navigation():
        form.get_by_role("button", name="Kontakt anlegen").click()
    expect(page.locator("h1")).to_have_text("Janine Sommer")
    states = sorted(Operation.objects.filter(kind="contact.create").values_list("state", flat=True))
    assert states == [
        OperationState.FAILED,
        OperationState.SUCCEEDED,
    ]  # the waiting one was withdrawn
