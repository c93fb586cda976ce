"""Every page of the permission inventory, rendered in German, reads German (issue 9).

One signed-in walk over the demo company (synced from the in-process simulator, so lists and
detail pages are full), as the user each page is meant for: the owner for organization and
global pages, an operator for the backoffice, nobody for the public ones. The visible text
(tags, scripts and styles stripped; titles, placeholders and labels kept) must not contain an
English UI word from the list below. Lexware data (company names, article titles) is German
in the demo company, so it does not mask a missing translation.
"""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lexware import key_fingerprint
from portal.accounts.models import User
from portal.articles.models import Article
from portal.contacts.models import Contact
from portal.core import crypto
from portal.documents.models import BOOKKEEPING_TYPES, Document
from portal.operations.clients import in_process_simulator
from portal.operations.models import Operation, OperationState
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization
from tests.conftest import PASSWORD, mark_session_verified
from tests.portal.permission_inventory import INVENTORY, SHARE_TOKENS, MatrixContext, Route

# Common English UI words. Left out on purpose, because German uses the same word (and
# Lexware's German interface does too): Status, Name, Filter, Person, Admin, Backoffice,
# Lexware, GTIN, XRechnung, optional, Details, Webhook(s).
ENGLISH_UI_WORDS = (
    "Save",
    "Cancel",
    "Search",
    "Open",
    "Overdue",
    "Draft",
    "Paid",
    "Voided",
    "Invoice",
    "Invoices",
    "Quotation",
    "Credit note",
    "Delivery note",
    "Dunning",
    "Contact",
    "Contacts",
    "Customer",
    "Vendor",
    "Article",
    "Articles",
    "Document",
    "Documents",
    "Settings",
    "Members",
    "Member",
    "Owner",
    "Viewer",
    "Delete",
    "Remove",
    "Back",
    "Next",
    "Previous",
    "Download",
    "Total",
    "Date",
    "Due",
    "Amount",
    "Role",
    "Roles",
    "Sign in",
    "Sign out",
    "Log out",
    "Log in",
    "Password",
    "Profile",
    "Organization",
    "Organizations",
    "Overview",
    "Operations",
    "Sync now",
    "Created",
    "Change",
    "Invite",
    "Invitation",
    "Pending",
    "Expires",
    "Actions",
    "Type",
    "All",
    "Page",
    "Queued",
    "Running",
    "Failed",
    "Done",
    "Payment",
    "Tax",
    "Net",
    "Gross",
    "Price",
    "Quantity",
    "Unit",
    "Description",
    "Number",
    "Title",
    "Language",
    "Connected",
    "Not connected",
    "Reload",
    "Please",
    "Your",
    "You",
    "the",
    "and",
    "with",
    "yet",
    "not",
)
WORD_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_UI_WORDS) + r")(?![\w-])"
)
# Attributes whose text the user reads or hears.
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "hx-confirm")


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_words(html: str) -> list[str]:
    return sorted(set(WORD_PATTERN.findall(visible_text(html))))


def test_the_word_check_finds_english_and_passes_german() -> None:
    """The check itself: it must see English in text and attributes, and accept German."""
    assert english_words('<p>Open invoices</p><button title="Save">x</button>') == ["Open", "Save"]
    assert english_words("<script>var Save = 1;</script><p>Offene Rechnungen</p>") == []
    assert english_words('<p data-x="Save">Speichern; Open-Source ist kein Wort hier</p>') == []


@pytest.fixture
def demo_org(org_a: Organization) -> Organization:
    """Org A connected to the simulator's demo company and fully synced."""
    from portal.sync.services import sync_start

    simulator = in_process_simulator()
    simulator.reset()
    key = f"i18n-test-{uuid.uuid4().hex}"
    simulator.seed_tenant(key, "demo")
    tenant = simulator.tenant_for_key(key)
    LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(key),
        key_last_four=key[-4:],
        key_fingerprint=key_fingerprint(key),
        status=ConnectionStatus.OK,
        company_name=tenant.company_name,
        lexware_organization_id=tenant.organization_id,
    )
    sync_start(organization=org_a)
    assert not Operation.objects.filter(state=OperationState.FAILED).exists()
    cache.clear()  # list counts are cached per organization id, which repeat between tests
    yield org_a
    simulator.reset()


def _rich_kwargs(name: str, org: Organization) -> dict[str, Any] | None:
    """Detail pages with full data from the demo sync instead of the inventory's bare rows."""
    if name == "documents:detail":
        document = Document.objects.filter(
            organization=org, voucher_type="invoice", details_synced_at__isnull=False
        ).first()
        return {"lexware_id": document.lexware_id} if document else None
    if name == "bookkeeping:detail":
        voucher = Document.objects.filter(
            organization=org, voucher_type__in=BOOKKEEPING_TYPES, details_synced_at__isnull=False
        ).first()
        return {"lexware_id": voucher.lexware_id} if voucher else None
    if name == "contacts:detail":
        return {
            "lexware_id": Contact.objects.filter(organization=org).order_by("pk").first().lexware_id
        }
    if name == "articles:detail":
        return {
            "lexware_id": Article.objects.filter(organization=org).order_by("pk").first().lexware_id
        }
    return None


def _url(name: str, route: Route, ctx: MatrixContext) -> str:
    kwargs = _rich_kwargs(name, ctx.organization)
    if kwargs is None:
        kwargs = dict(route.kwargs(ctx)) if route.kwargs else {}
    if route.kind == "org":
        kwargs["org_slug"] = ctx.organization.slug
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db(transaction=True)
def test_every_page_reads_german(
    request: pytest.FixtureRequest,
    demo_org: Organization,
    alice: User,
    bob: User,
    carol: User,
    operator: User,
) -> None:
    ctx = MatrixContext(organization=demo_org, owner=alice, request=request)
    ctx.invitation()  # the members page lists a pending invitation
    german = {
        "alice": Client(headers={"Accept-Language": "de"}),
        "operator": Client(headers={"Accept-Language": "de"}),
    }
    german["alice"].force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    german["operator"].force_login(operator, backend="django.contrib.auth.backends.ModelBackend")
    mark_session_verified(german["operator"], operator)  # operators need MFA for the backoffice
    anonymous = Client(headers={"Accept-Language": "de"})
    client_for_kind = {
        "org": german["alice"],
        "global": german["alice"],
        "staff": german["operator"],
        "anonymous-ok": anonymous,
        "public": anonymous,
    }

    found: dict[str, list[str]] = {}
    walked = 0
    for name, route in sorted(INVENTORY.items()):
        if "GET" not in route.methods or not route.get_is_page or route.kind not in client_for_kind:
            continue
        url = _url(name, route, ctx)
        if "/s/v/" in url:  # a token-free link page opens with its token URL's cookie (L6)
            code = url.split("/s/v/")[1].split("/")[0]
            anonymous.get(reverse("public:share", kwargs={"token": SHARE_TOKENS[code]}))
        # A token URL hands over to its token-free page (L6): the page is what is read.
        response = client_for_kind[route.kind].get(url, follow=route.kind == "public")
        assert response.status_code == 200, (name, url, response.status_code)
        assert response["Content-Language"] == "de", name
        walked += 1
        words = english_words(response.content.decode())
        if words:
            found[f"{name} ({url})"] = words
    # Error pages are pages too.
    for path, status in (("/does-not-exist/", 404), ("/invitations/" + "A" * 43 + "/", 404)):
        response = anonymous.get(path)
        assert response.status_code == status
        words = english_words(response.content.decode())
        if words:
            found[path] = words
    assert walked >= 20, walked
    # The same pages in English do show these words: the walk sees real, translated text.
    english = Client(headers={"Accept-Language": "en"})
    english.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    dashboard = english.get(
        reverse("dashboard:index", kwargs={"org_slug": demo_org.slug})
    ).content.decode()
    assert {"Open", "Total", "Invoices"} <= set(english_words(dashboard))
    assert not found, "English UI words on German pages:\n" + "\n".join(
        f"  {k}: {v}" for k, v in found.items()
    )


def test_signed_in_users_read_their_profile_language(alice: User, org_a: Organization) -> None:
    """The profile language wins over the browser's Accept-Language; new users get German."""
    newcomer = User.objects.create_user("newcomer@example.org", PASSWORD, full_name="Nele Neu")
    assert newcomer.language == "de"
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(newcomer, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("organizations:list"))
    assert page["Content-Language"] == "de" and "Eine Organisation anlegen" in page.content.decode()
    alice.language = "en"
    alice.save()
    client = Client(headers={"Accept-Language": "de"})
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert (
        client.get(reverse("dashboard:index", kwargs={"org_slug": "alpha"}))["Content-Language"]
        == "en"
    )
