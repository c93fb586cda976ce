"""The members page: an owner invites someone by e-mail through the htmx form and sees the
pending invitation; a malformed address is refused next to the field, in place."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_invites_a_member_and_sees_the_pending_invitation(
    page: Page, alice, bob, org_a
) -> None:
    sign_in(page, alice.email)
    page.locator(".sidenav").get_by_role("link", name="Mitglieder").click()
    expect(page.locator("#members tbody tr")).to_have_count(2)  # alice and bob
    invitations = page.locator("#invitations")
    expect(invitations).to_contain_text("Keine offenen Einladungen.")
    url_before = page.url
    page.evaluate("window.__marker = 1")

    # A malformed address first: the error appears next to the e-mail field, nothing is sent.
    invitations.locator("input[name=email]").fill("erika.at.example.org")
    with page.expect_response(
        lambda r: r.url.endswith("/invitations/") and r.request.method == "POST"
    ):
        invitations.get_by_role("button", name="Einladung senden").click()
    email_field = page.locator("#invitations .field--invalid")
    expect(email_field).to_have_count(1)
    expect(email_field.locator("input[name=email]")).to_have_value("erika.at.example.org")
    expect(email_field.locator(".field__errors li")).to_have_count(1)
    expect(page.locator("#invitations")).to_contain_text("Keine offenen Einladungen.")
    assert mail.outbox == []
    screenshot(page, "members-error")

    # Corrected: the invitation is listed as pending, with the chosen role.
    page.locator("#invitations input[name=email]").fill("Erika.Muster@example.org")
    page.locator("#invitations select[name=role]").select_option("viewer")
    with page.expect_response(
        lambda r: r.url.endswith("/invitations/") and r.request.method == "POST"
    ) as answer:
        page.locator("#invitations").get_by_role("button", name="Einladung senden").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    invitations = page.locator("#invitations")
    expect(invitations.locator(".alert--success")).to_have_text(
        "Einladung an erika.muster@example.org gesendet."
    )
    pending = invitations.locator("table tbody tr")
    expect(pending).to_have_count(1)
    expect(pending.locator("td").nth(0)).to_have_text("erika.muster@example.org")
    expect(pending.locator("td").nth(2)).to_have_text("Alice Adler")
    expect(invitations.locator(".field--invalid")).to_have_count(0)
    expect(invitations.locator("input[name=email]")).to_have_value("")
    assert page.url == url_before
    assert page.evaluate("window.__marker") == 1
    assert [message.to for message in mail.outbox] == [["erika.muster@example.org"]]
    screenshot(page, "members")
