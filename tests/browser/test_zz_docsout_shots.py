"""Temporary: screenshots of the docsout pages (not committed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_documents_out import _finalized_invoice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = "/tmp/docsout-shots"


def shot(page: Page, name: str) -> None:
    import os

    os.makedirs(OUT, exist_ok=True)
    page.screenshot(path=f"{OUT}/{name}.png", full_page=True, caret="initial")


def test_shots(page: Page, browser: Browser, live_server: Any, alice, org_a, synced_org) -> None:
    from portal.organizations.models import Organization
    from portal.sharing.models import ShareLink
    from portal.sharing.services import share_link_create
    from portal.sharing.tokens import token_hash
    from tests.browser.conftest import PASSWORD

    Organization.objects.filter(pk=org_a.pk).update(
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
        bank_account_holder="Alpha Werkstatt GmbH",
        bank_name="Commerzbank",
    )
    invoice = _finalized_invoice(org_a.slug)
    from tests.browser.conftest import demo_key  # noqa: F401

    for lang, locale in (("de", "de-DE"), ("en", "en-US")):
        ctx = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
        )
        tab = ctx.new_page()
        sign_in(tab, alice.email, PASSWORD)
        tab.goto(f"/o/{org_a.slug}/settings/")
        shot(tab, f"settings-{lang}")
        tab.locator("#id_iban").fill("DE89 3704 0044 0532 0130 01")
        tab.locator("#bank-account button[type=submit]").first.click()
        expect(tab.locator("#id_iban_error")).to_be_visible()
        shot(tab, f"settings-error-{lang}")
        tab.goto(f"/o/{org_a.slug}/documents/?status=open")
        tab.wait_for_timeout(500)
        shot(tab, f"documents-list-{lang}")
        ctx.close()

    _, token = share_link_create(
        organization=org_a,
        document=invoice,
        user=alice,
        expires_at=timezone.now() + timedelta(days=20),
    )
    from portal.documents.models import Document

    invoice = Document.objects.get(pk=invoice.pk)
    _, expired = share_link_create(
        organization=org_a,
        document=invoice,
        user=alice,
        expires_at=timezone.now() + timedelta(days=2),
    )
    ShareLink.objects.filter(token_hash=token_hash(expired)).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    for lang, locale in (("de", "de-DE"), ("en", "en-US")):
        ctx = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 1100, "height": 900}
        )
        tab = ctx.new_page()
        tab.goto(f"/s/{token}/")
        tab.wait_for_timeout(1500)
        shot(tab, f"customer-{lang}")
        tab.goto(f"/s/{expired}/")
        shot(tab, f"expired-{lang}")
        tab.locator("#id_email").fill("kunde@example.org")
        tab.get_by_role("button").filter(has_text="link").or_(
            tab.get_by_role("button").filter(has_text="Link")
        ).first.click()
        tab.wait_for_load_state()
        shot(tab, f"renewal-answer-{lang}")
        ctx.close()
