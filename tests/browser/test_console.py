"""The API console, the key's end date and the error list in Chromium (issue 15 items 5-7):
alice runs GET /v1/profile and sees the answer appear (htmx polling, a worker's job: eager
here), then a POST only after confirming; the connection page and the health page warn about
the key's end; the operator sees the error list. German first, then English; no CSP
violation. Screenshots go to PORTAL_SCREENSHOT_DIR."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_languages import keep
from tests.conftest import totp_code
from tests.portal.i18n.test_german_pages import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def connected(org_a, demo_key):
    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.organizations.models import ConnectionStatus, LexwareConnection

    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(demo_key),
        key_last_four=demo_key[-4:],
        key_fingerprint=key_fingerprint(demo_key),
        status=ConnectionStatus.OK,
        key_expires_on=timezone.localdate() + timedelta(days=12),
    )


def test_alice_reads_the_profile_then_sends_a_change(page: Page, alice, connected) -> None:
    sign_in(page, alice.email)
    page.goto(f"/o/{connected.organization.slug}/console/")
    expect(page.locator("h1")).to_have_text("API-Konsole")
    page.locator("input[name=path]").fill("/v1/profile")
    page.get_by_role("button", name="Senden", exact=True).click()
    expect(page.locator("#console-body")).to_contain_text("organizationId", timeout=20_000)
    expect(page.locator("#console-answer .badge--ok")).to_have_text("200")
    assert english_words(page.content()) == [], english_words(page.content())
    keep(page, "console-de-profile")

    page.goto(f"/o/{connected.organization.slug}/connection/")
    expect(page.locator(".alert--warning")).to_contain_text("in 12 Tagen")
    keep(page, "connection-de-key-ending")

    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    expect(page.locator(".alert--warning")).to_contain_text("expires in 12 days")
    keep(page, "connection-en-key-ending")
    page.goto(f"/o/{connected.organization.slug}/console/")
    page.locator("select[name=method]").select_option("POST")
    page.locator("input[name=path]").fill("/v1/contacts")
    page.locator("textarea[name=body]").fill(
        '{"version": 0, "roles": {"customer": {}}, "company": {"name": "Konsole GmbH"}}'
    )
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#h-confirm")).to_have_text("Send this change to Lexware?")
    keep(page, "console-en-confirm")
    page.get_by_role("button", name="Yes, send it").click()
    expect(page.locator("#console-body")).to_contain_text('"id"', timeout=20_000)
    keep(page, "console-en-created")


def test_operator_sees_key_warnings_and_errors(page: Page, operator, connected) -> None:
    from portal.audit.models import ErrorEvent

    ErrorEvent.objects.create(
        fingerprint="f" * 64,
        where="worker",
        exception_type="builtins.KeyError",
        message="'voucherStatus'",
        traceback="Traceback (most recent call last):\n  ...\nKeyError: 'voucherStatus'",
        context="sync.reconcile_all",
        count=4,
    )
    sign_in(page, operator.email)
    page.locator("input[name=code]").fill(totp_code(operator.totpdevice_set.get()))
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/code/'] button[type=submit]").click()
    page.goto("/backoffice/")
    expect(page.locator("#h-keys")).to_have_text("Ablaufende API-Schlüssel")
    expect(page.locator("section[aria-labelledby=h-errors]")).to_contain_text("builtins.KeyError")
    keep(page, "health-de-warnings")
    page.goto("/backoffice/errors/")
    assert english_words(page.content()) == [], english_words(page.content())
    keep(page, "errors-de")
    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Errors")
    keep(page, "errors-en")
    page.goto("/backoffice/")
    expect(page.locator("#h-keys")).to_have_text("API keys ending")
    keep(page, "health-en-warnings")
