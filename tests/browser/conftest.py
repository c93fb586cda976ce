"""Browser tests: Playwright's sync API drives Debian's chromium against pytest-django's
live_server, with the real middleware stack (CSP, cookies, htmx config) of the test settings.

One browser serves the whole browser package; every test gets a fresh context (cookies,
storage) and a page whose CSP violations, console errors and uncaught exceptions are
collected and must be empty when the test ends (reliability.md S8).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import IN_CI, PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page

    from portal.organizations.models import LexwareConnection, Organization

BROWSER_DIR = os.path.dirname(__file__)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Playwright's waits: generous for a loaded 2-core CI machine, short enough to fail fast.
TIMEOUT_MS = 10_000

# Runs in every document before the page's own scripts. Injected through the DevTools
# protocol, so the page's CSP does not apply to it; it only listens, it changes nothing.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
window.addEventListener("securitypolicyviolation", function (event) {
  var violation = {directive: event.violatedDirective, blocked: event.blockedURI,
                   source: event.sourceFile, line: event.lineNumber, sample: event.sample,
                   page: document.location.href,
                   element: event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 300) : ""};
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) { window.__reportCspViolation(violation); }
}, true);
"""


def chromium_path() -> str | None:
    return shutil.which("chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Only this package's items can see the fixture (the hook itself sees every item).
    for item in items:
        if item.get_closest_marker("browser") is not None and str(item.path).startswith(
            BROWSER_DIR
        ):
            item.fixturenames.insert(0, "_needs_chromium")


@pytest.fixture
def _needs_chromium() -> None:
    """In CI a missing chromium (or Playwright) is a failure; elsewhere the test is skipped."""
    problem = ""
    if chromium_path() is None:
        problem = "Debian's chromium is not installed (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed in this environment"
    if not problem:
        return
    if IN_CI:
        pytest.fail(f"{problem}; CI needs it for the browser tests", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless chromium for the browser package.

    Package scope rather than session scope on purpose: Playwright's sync API keeps an asyncio
    loop marked as running in the main thread while it is alive. Django refuses ORM calls
    under a running loop (SynchronousOnlyOperation), so the escape hatch is switched on here,
    and both end when the last browser test is done, before the rest of the suite runs.
    """
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium is missing")  # _needs_chromium has already failed or skipped the test
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageProblems:
    """Everything a page reported that a user would never want: CSP violations, console
    errors, uncaught exceptions. Collected across every page the test visits."""

    csp_violations: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    # Every report ever received, also those a test cleared after provoking them on purpose.
    reported: int = 0

    def on_csp_violation(self, violation: dict[str, Any]) -> None:
        self.reported += 1
        self.csp_violations.append(violation)

    def on_console(self, message: ConsoleMessage) -> None:
        # Chromium reports CSP violations, failed loads and htmx's own errors as "error";
        # warnings count too (deprecations, blocked autofocus). Verbose DOM hints do not.
        if message.type in ("error", "warning"):
            self.console_errors.append(
                f"{message.type}: {message.text} @ {message.location.get('url', '')}"
            )

    def on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    def clear(self) -> None:
        self.csp_violations.clear()
        self.console_errors.clear()
        self.page_errors.clear()

    def assert_none(self) -> None:
        assert not self.csp_violations, f"CSP violations: {self.csp_violations}"
        assert not self.console_errors, f"console errors and warnings: {self.console_errors}"
        assert not self.page_errors, f"uncaught JavaScript errors: {self.page_errors}"


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def context(
    browser: Browser, live_server: Any, page_problems: PageProblems
) -> Iterator[BrowserContext]:
    from playwright.sync_api import expect

    # German like the portal's users (the pages read German); tests that need English switch
    # it in the profile or with the language switcher.
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
    )
    ctx.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    ctx.expose_function("__reportCspViolation", page_problems.on_csp_violation)
    ctx.add_init_script(RECORD_CSP_VIOLATIONS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, page_problems: PageProblems) -> Iterator[Page]:
    tab = context.new_page()
    tab.on("console", page_problems.on_console)
    tab.on("pageerror", page_problems.on_page_error)
    yield tab
    if not tab.is_closed():
        # A round trip delivers any report still in flight, and cross-checks the recorder.
        in_page = tab.evaluate("window.__cspViolations || []")
        assert len(in_page) <= page_problems.reported, in_page
    # Every page the test visited, including htmx swaps, must have been clean (S8).
    page_problems.assert_none()


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Through the real sign-in form, like a user (the session and CSRF cookies are real too)."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        # The sign-in form's own button (the language switcher is a form on the page too).
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()


def screenshot(page: Page, name: str) -> str:
    # The system's temporary folder, not a fixed path: machines differ.
    path = os.path.join(tempfile.gettempdir(), f"browser-{name}.png")
    # caret="initial": by default Playwright hides the caret by styling the focused input,
    # which leaves a style="" attribute behind; htmx's attribute settling then copies it onto
    # the swapped-in input and the CSP (rightly) reports an inline style.
    page.screenshot(path=path, full_page=True, caret="initial")
    return path


@pytest.fixture
def demo_key() -> Iterator[str]:
    """A fresh simulator tenant seeded with the demo company; emptied again afterwards."""
    from portal.operations.clients import in_process_simulator

    simulator = in_process_simulator()
    simulator.reset()
    key = f"browser-test-{uuid.uuid4().hex}"
    simulator.seed_tenant(key, "demo")
    yield key
    simulator.reset()


@pytest.fixture
def synced_org(org_a: Organization, demo_key: str) -> LexwareConnection:
    """Org A connected to the demo company (status OK) and fully synced: the full-sync
    operations run inline (eager tasks, transactional test, so on_commit fires at once)."""
    from django.core.cache import cache

    from lexware import key_fingerprint
    from portal.core import crypto
    from portal.operations.clients import in_process_simulator
    from portal.operations.models import Operation, OperationState
    from portal.organizations.models import ConnectionStatus, LexwareConnection
    from portal.sync.models import SyncPart
    from portal.sync.services import sync_start

    tenant = in_process_simulator().tenant_for_key(demo_key)
    connection = LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(demo_key),
        key_last_four=demo_key[-4:],
        key_fingerprint=key_fingerprint(demo_key),
        status=ConnectionStatus.OK,
        company_name=tenant.company_name,
        lexware_organization_id=tenant.organization_id,
    )
    sync_start(organization=org_a)
    failed = list(
        Operation.objects.filter(state=OperationState.FAILED).values_list("kind", "error_message")
    )
    assert not failed, failed
    unfinished = SyncPart.objects.filter(organization=org_a).exclude(status=SyncPart.Status.DONE)
    assert not unfinished.exists(), list(unfinished.values_list("name", "status"))
    # The browse pages cache row counts for 30 s under the organization's id, and ids repeat
    # after the transactional flush: an earlier test's "0 rows" would cut this test's lists.
    cache.clear()
    return connection
