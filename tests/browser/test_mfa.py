"""MFA in a real browser (issue 16 item 1): enrol with the key shown on the page, sign out,
sign in with a code from the "authenticator app" (computed here from that key, as the app
would), then with a recovery code, which works once only. Screenshots of the enrolment and
code pages in German and English go to var/screenshots (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_languages import keep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_FORM = "form[action='/accounts/login/code/']"


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this key (RFC 6238, 30 s steps, 6 digits)."""
    from django_otp.oath import totp

    compact = secret.replace(" ", "")
    key = b32decode(compact + "=" * (-len(compact) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"


def sign_out(page: Page) -> None:
    page.locator(".usermenu summary").click()
    with page.expect_navigation():
        page.locator(".menu__logout button").click()


def enter_code(page: Page, code: str) -> None:
    page.locator(f"{CODE_FORM} input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator(f"{CODE_FORM} button[type=submit]").click()


def enrol(page: Page, *, shot: str) -> tuple[str, list[str]]:
    """From the MFA page through the QR code to the recovery codes; returns key and codes."""
    expect(page.locator("img[alt]").first).to_be_visible()
    qr = page.locator(".mfa-qr img")
    expect(qr).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;base64,"))
    # The image really rendered (a broken data URI would have no natural size).
    assert page.evaluate("document.querySelector('.mfa-qr img').naturalWidth") > 0
    secret = page.locator("#mfa-secret").inner_text()
    keep(page, f"{shot}-setup")
    page.locator("input[name=code]").fill(app_code(secret))
    with page.expect_navigation():
        page.locator("form[action='/accounts/mfa/setup/'] button[type=submit]").click()
    codes = [text.strip() for text in page.locator("#recovery-codes li").all_inner_texts()]
    keep(page, f"{shot}-codes")
    return secret, codes


def test_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(page: Page, alice, org_a) -> None:
    sign_in(page, alice.email)
    page.goto("/accounts/mfa/")
    with page.expect_navigation():
        page.get_by_role("button", name="Zwei-Faktor-Authentifizierung einrichten").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    expect(page.locator("h1")).to_have_text("Zwei-Faktor-Authentifizierung einrichten")
    secret, codes = enrol(page, shot="mfa-de")
    assert len(codes) == 10 and len(set(codes)) == 10
    expect(page.locator(".alert--success")).to_contain_text("eingeschaltet")
    page.get_by_role("link", name=re.compile("weiter")).click()
    expect(page.locator("#mfa-on")).to_be_visible()
    keep(page, "mfa-de-settings")
    sign_out(page)

    # Password, then the code page; until the code, nothing of the portal opens.
    sign_in(page, alice.email)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    expect(page.locator("h1")).to_have_text("Zwei-Faktor-Authentifizierung")
    keep(page, "mfa-de-code")
    page.goto(f"/o/{org_a.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    sign_in(page, alice.email)
    enter_code(page, "000000" if app_code(secret, steps_ahead=1) != "000000" else "111111")
    expect(page.locator(".field__errors")).to_contain_text("nicht korrekt")
    # The code used for enrolment may not be replayed: the app's next code (one step ahead,
    # within the tolerance) signs in, after the throttle's second has passed.
    time.sleep(1.1)
    enter_code(page, app_code(secret, steps_ahead=1))
    expect(page).to_have_url(re.compile(rf"/o/{org_a.slug}/$"))
    expect(page.locator(".usermenu summary")).to_contain_text("Alice")
    sign_out(page)

    # A recovery code instead of the app, once.
    sign_in(page, alice.email)
    enter_code(page, codes[0])
    expect(page).to_have_url(re.compile(rf"/o/{org_a.slug}/$"))
    expect(page.locator(".messages")).to_contain_text("Wiederherstellungscode")
    sign_out(page)
    sign_in(page, alice.email)
    enter_code(page, codes[0])
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    expect(page.locator(".field__errors")).to_contain_text("nicht korrekt")


def test_the_mfa_pages_in_english(page: Page, alice, org_a) -> None:
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator(".langswitch").get_by_role("button", name="English").click()
    sign_in(page, alice.email)
    page.goto("/accounts/mfa/")
    with page.expect_navigation():
        page.get_by_role("button", name="Set up two-factor authentication").click()
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    enrol(page, shot="mfa-en")
    expect(page.locator(".alert--success")).to_have_text("Two-factor authentication is on.")
    sign_out(page)
    sign_in(page, alice.email)
    expect(page.locator("h1")).to_have_text("Two-factor authentication")
    keep(page, "mfa-en-code")
