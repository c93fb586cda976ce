"""Sign-in, the generic error for a wrong password, and sign-out, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_signs_in_lands_on_her_dashboard_and_signs_out(page: Page, alice, org_a) -> None:
    page.goto("/")
    # Anonymous: the portal sends her to the sign-in form.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    screenshot(page, "login")
    page.locator("input[name=username]").fill("Alice@Example.org ")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/o/{org_a.slug}/$"))
    expect(page.locator(".switcher__name")).to_have_text(org_a.name)
    expect(page.locator(".usermenu summary")).to_contain_text("Alice")
    screenshot(page, "dashboard")

    page.locator(".usermenu summary").click()
    with page.expect_response(lambda r: r.url.endswith("/accounts/logout/")) as logout:
        page.locator(".menu__logout button").click()
    # S9: the browser is told to drop what it kept from the signed-in pages.
    assert logout.value.header_value("clear-site-data") == '"cache", "storage"'
    expect(page.locator("main")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "__Host-sessionid"]
    # Signed out for real: the dashboard now asks for a sign-in again.
    page.goto(f"/o/{org_a.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_wrong_password_shows_the_generic_error_and_no_session(
    page: Page, alice, org_a, context
) -> None:
    sign_in(page, alice.email, "not the password at all")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    error = page.locator(".alert--error")
    expect(error).to_have_text("E-Mail-Adresse oder Passwort ist nicht korrekt.")
    # The same words for an account that does not exist: the form is no oracle.
    sign_in(page, "nobody@example.org", "not the password at all")
    expect(page.locator(".alert--error")).to_have_text(
        "E-Mail-Adresse oder Passwort ist nicht korrekt."
    )
    page.goto(f"/o/{org_a.slug}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
