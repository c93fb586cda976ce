"""The backoffice in a real browser (issue 15): an operator signs in with a code and opens the
health page, operations, webhooks and the audit trail, first in German, then in English through
the switcher; an owner opens the organization's audit trail. No CSP violation, no English word
on the German pages. Screenshots go to PORTAL_SCREENSHOT_DIR (var/screenshots by default)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.audit.models import LexwareCall
from portal.audit.recorder import Action, record
from portal.operations.models import Operation
from portal.sync.models import WebhookEvent
from tests.browser.conftest import sign_in
from tests.browser.test_languages import keep
from tests.conftest import totp_code
from tests.portal.i18n.test_german_pages import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["", "operations/", "webhooks/", "audit/", "organizations/"]


def _data(org_a, alice) -> Operation:
    now = timezone.now()
    LexwareCall.objects.bulk_create(
        LexwareCall(
            organization_id=org_a.pk,
            at=now - timedelta(minutes=n % 50),
            method="GET",
            path="/v1/contacts",
            status=429 if n % 17 == 0 else 200,
            duration_ms=80 + n * 3,
        )
        for n in range(60)
    )
    WebhookEvent.objects.create(
        organization=org_a,
        lexware_organization_id=uuid.uuid4(),
        event_type="contact.changed",
        resource_id=str(uuid.uuid4()),
        event_date=now.isoformat(),
        processed_at=now,
        outcome="refresh queued",
    )
    Operation.objects.create(
        organization=org_a,
        kind="connection.verify",
        state="failed",
        error_message="Lexware war nicht erreichbar (APIConnectionError).",
    )
    record(
        Action.ROLE_CHANGED,
        actor=alice,
        organization=org_a,
        object_type="membership",
        object_repr="bob@example.org",
        details={"from": "member", "to": "admin"},
    )
    return Operation.objects.create(
        organization=org_a,
        kind="contact.create",
        state="unknown",
        input={"contact": {"company": {"name": "Hafenkontor GmbH"}}},
        reconciliation={"resource": "contacts", "checks": 3},
    )


def test_operator_pages_in_german_then_english(page: Page, operator, alice, org_a) -> None:
    unknown = _data(org_a, alice)
    sign_in(page, operator.email)
    page.locator("input[name=code]").fill(totp_code(operator.totpdevice_set.get()))
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/code/'] button[type=submit]").click()
    for path in PAGES:
        page.goto("/backoffice/" + path)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        assert english_words(page.content()) == [], (path, english_words(page.content()))
        keep(page, "backoffice-de-" + (path.strip("/") or "health"))
    expect(page.locator("h1")).to_have_text("Organisationen 1")
    page.goto(f"/backoffice/operations/{unknown.code}/")
    expect(page.locator("#h-resolve")).to_have_text("Von Hand klären")
    keep(page, "backoffice-de-operation-unknown")
    # Settle it (the comment is required: the browser asks for it before sending).
    page.locator("input[name=outcome][value=failed]").check()
    expect(page.locator("textarea[name=comment]")).to_have_attribute("required", "")
    page.locator("textarea[name=comment]").fill("In Lexware gesucht: nicht angelegt.")
    with page.expect_navigation():
        page.get_by_role("button", name="Klären", exact=True).click()
    expect(page.locator(".badge--failed").first).to_be_visible()
    page.goto("/backoffice/audit/")
    expect(page.locator("#events")).to_contain_text("Vorgang vom Betrieb geklärt")

    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    for path in PAGES:
        page.goto("/backoffice/" + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        keep(page, "backoffice-en-" + (path.strip("/") or "health"))
    page.goto("/backoffice/")
    expect(page.locator("#h-services")).to_have_text("Services and workers")

    # Support access: with a reason, read-only, with a banner on every page of the organization.
    page.goto(f"/backoffice/organizations/{org_a.slug}/support/")
    page.locator("textarea[name=reason]").fill("Ticket 4711: the contact list looks empty")
    with page.expect_navigation():
        page.get_by_role("button", name="Open as support").click()
    expect(page.locator(".alert--warning")).to_contain_text("Support access, read-only.")
    page.goto(f"/o/{org_a.slug}/contacts/")
    expect(page.locator(".alert--warning")).to_be_visible()
    keep(page, "support-en-contacts")
    with page.expect_navigation():
        page.locator(".alert--warning button").click()
    expect(page.locator("h1")).to_contain_text("Organizations")


def test_owner_sees_the_organizations_audit_trail(page: Page, alice, org_a) -> None:
    sign_in(page, alice.email)
    page.goto(f"/o/{org_a.slug}/audit/")
    expect(page.locator("h1")).to_have_text("Audit-Protokoll")
    expect(page.locator("#events")).to_contain_text("Angemeldet")
    assert english_words(page.content()) == []
    keep(page, "org-audit-de")
    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    expect(page.locator("#events")).to_contain_text("Signed in")
    keep(page, "org-audit-en")


def _services_row(page: Page, index: int) -> Any:
    # Web, PostgreSQL, Redis, workers: the rows of the services table, in this order.
    return page.locator("section[aria-labelledby=h-services] tbody tr").nth(index)


def test_health_with_a_stopped_worker_then_a_stopped_redis(
    page: Page, operator, settings, monkeypatch
) -> None:
    """No worker runs in this test: the page says so at once (Celery's inspect gets no answer)
    while Redis is fine. Then Redis goes away (its URL points at a closed port, for the pages,
    the readiness probe and the broker alike): both lines turn red, the page still comes back
    within seconds, and /readyz answers 503."""
    from celery import current_app

    sign_in(page, operator.email)
    page.locator("input[name=code]").fill(totp_code(operator.totpdevice_set.get()))
    with page.expect_navigation():
        page.locator("form[action='/accounts/login/code/'] button[type=submit]").click()
    page.goto("/backoffice/")
    expect(_services_row(page, 2).locator(".badge--ok")).to_be_visible()
    expect(_services_row(page, 3).locator(".badge--failed")).to_be_visible()
    keep(page, "health-de-worker-stopped")

    closed = "redis://127.0.0.1:8479/0"  # this engineer's port range; nothing listens there
    settings.REDIS_URL = closed
    monkeypatch.setattr(current_app.conf, "broker_url", closed)
    started = time.monotonic()
    page.goto("/backoffice/")
    took = time.monotonic() - started
    expect(_services_row(page, 2).locator(".badge--failed")).to_be_visible()
    expect(_services_row(page, 3).locator(".badge--failed")).to_be_visible()
    assert took < 15, took  # bounded probes: a red line, never a hanging page
    keep(page, "health-de-redis-stopped")
    ready = page.request.get("/readyz")
    assert ready.status == 503 and ready.json()["redis"] == "unavailable"
    with page.expect_navigation():
        page.locator(".topbar .langswitch").get_by_role("button", name="English").click()
    expect(_services_row(page, 2)).to_contain_text("Down")
    keep(page, "health-en-redis-stopped")
