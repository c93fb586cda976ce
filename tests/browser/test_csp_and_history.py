"""reliability.md S8 and S9 in a real browser.

S8: the CSP the portal sends is enforced by chromium, and none of the key pages (nor their
htmx swaps) trips it or throws. The recorder itself is proven first: an inline script slipped
into a page must be blocked and reported, or the zero-violation checks would prove nothing.
S9: authenticated pages keep nothing in browser storage: htmx's history cache is off (config
and hx-history="false"), a pushed search URL leaves local and session storage without a page
snapshot (htmx 2 keeps its cache in sessionStorage; without these settings a search stores a
~30 kB copy of the page there), and Back reloads the page from the server instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageProblems, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORAGE = "JSON.stringify({local: Object.assign({}, localStorage), session: Object.assign({}, sessionStorage)})"
# htmx 2 remembers the current URL (never page content) in sessionStorage; the address bar and
# the browser history hold the same URL anyway.
HTMX_CURRENT_PATH = "htmx-current-path-for-history"


def stored(page: Page) -> dict[str, dict[str, str]]:
    """Browser storage minus htmx's current-URL note: must be empty on every page."""
    storage = json.loads(page.evaluate(STORAGE))
    storage["session"].pop(HTMX_CURRENT_PATH, None)
    return storage


def test_the_csp_is_enforced_and_a_slipped_in_inline_script_is_reported(
    page: Page, page_problems: PageProblems
) -> None:
    response = page.goto("/accounts/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy
        and "object-src 'none'" in policy
        and "base-uri 'none'" in policy
    )
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true";
        document.body.append(script);
        const box = document.createElement("div");
        box.innerHTML = '<p style="color: red">styled</p>';
        document.body.append(box);
    }""")
    expect(page.locator("p", has_text="styled")).to_be_attached()
    assert page.evaluate("window.__inlineRan === undefined"), (
        "the CSP did not block an inline script"
    )
    page.wait_for_function("window.__cspViolations.length >= 2")
    directives = {v["directive"] for v in page.evaluate("window.__cspViolations")}
    assert {"script-src-elem", "style-src-attr"} <= directives
    # The same reports reached the test through the exposed binding and the console.
    assert {v["directive"] for v in page_problems.csp_violations} == directives
    assert any("Content Security Policy" in message for message in page_problems.console_errors)
    page_problems.clear()  # this test's violations were made on purpose


def _detail_paths(org_slug: str) -> list[str]:
    from portal.articles.models import Article
    from portal.contacts.models import Contact
    from portal.documents.models import BOOKKEEPING_TYPES, SALES_TYPES, Document
    from portal.operations.models import Operation

    contact = Contact.objects.filter(organization__slug=org_slug).order_by("name").first()
    article = Article.objects.filter(organization__slug=org_slug).first()
    sales = (
        Document.objects.filter(organization__slug=org_slug, voucher_type__in=SALES_TYPES)
        .order_by("-voucher_date")
        .first()
    )
    voucher = Document.objects.filter(
        organization__slug=org_slug, voucher_type__in=BOOKKEEPING_TYPES
    ).first()
    operation = Operation.objects.filter(organization__slug=org_slug).first()
    assert contact and article and sales and voucher and operation
    return [
        f"/o/{org_slug}/contacts/{contact.lexware_id}/",
        f"/o/{org_slug}/articles/{article.lexware_id}/",
        f"/o/{org_slug}/documents/{sales.lexware_id}/",
        f"/o/{org_slug}/bookkeeping/{voucher.lexware_id}/",
        f"/o/{org_slug}/operations/{operation.code}/",
    ]


def test_key_pages_are_clean_under_the_csp_and_keep_no_history(
    page: Page, page_problems: PageProblems, alice, org_a, synced_org
) -> None:
    org = f"/o/{org_a.slug}"
    public = ["/accounts/login/", "/accounts/password/reset/"]
    signed_in = [
        f"{org}/",
        f"{org}/contacts/",
        f"{org}/articles/",
        f"{org}/documents/",
        f"{org}/bookkeeping/",
        f"{org}/sync/",
        f"{org}/sync/subscriptions/",
        f"{org}/operations/",
        f"{org}/members/",
        f"{org}/connection/",
        "/organizations/",
        "/organizations/new/",
        "/accounts/profile/",
        "/accounts/password/",
        *_detail_paths(org_a.slug),
    ]
    for path in public:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
    sign_in(page, alice.email)
    visited: dict[str, Any] = {}
    for path in signed_in:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        page.wait_for_load_state("load")
        # S9 in the DOM: htmx keeps no snapshots of this page (config) and the page says so too.
        config = json.loads(
            page.locator('meta[name="htmx-config"]').get_attribute("content") or "{}"
        )
        runtime = page.evaluate("[htmx.config.historyCacheSize, htmx.config.allowEval]")
        visited[path] = {
            "cache_size": config.get("historyCacheSize"),
            "runtime": runtime,
            "no_history": page.locator('[hx-history="false"]').count(),
            "violations": page.evaluate("window.__cspViolations.length"),
        }
    assert {path: v for path, v in visited.items() if v["violations"]} == {}
    assert {
        path for path, v in visited.items() if v["cache_size"] != 0 or v["runtime"] != [0, False]
    } == set()
    assert {path for path, v in visited.items() if v["no_history"] != 1} == set()
    assert stored(page) == {"local": {}, "session": {}}
    page.goto(f"{org}/sync/")
    screenshot(page, "sync")


def test_a_pushed_search_leaves_no_snapshot_and_back_reloads_from_the_server(
    page: Page, alice, org_a, synced_org
) -> None:
    sign_in(page, alice.email)
    page.goto(f"/o/{org_a.slug}/documents/")
    count = page.locator("#results .result-count")
    everything = count.inner_text()
    with page.expect_response(
        lambda r: "q=RE100" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.get_by_role("searchbox").fill("RE100")
    expect(page).to_have_url(re.compile(r"\?q=RE100"))
    expect(count).not_to_have_text(everything)
    assert stored(page) == {"local": {}, "session": {}}

    # Back: htmx has no snapshot, so it asks the server for the whole page (history restore).
    with page.expect_response(
        lambda r: r.request.headers.get("hx-history-restore-request") == "true"
    ) as restore:
        page.go_back()
    assert restore.value.status == 200
    expect(page).to_have_url(re.compile(rf"/o/{org_a.slug}/documents/$"))
    expect(page.locator("#results .result-count")).to_have_text(everything)
    assert stored(page) == {"local": {}, "session": {}}
