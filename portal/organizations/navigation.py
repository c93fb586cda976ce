"""The left navigation of organization pages: one line per entry.

Other apps add their entry here (label, URL name, minimum role). An entry whose URL name does
not resolve yet is left out, so the list can name pages that other people are still writing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.core.reverse import cached_reverse
from portal.organizations.models import Membership, Role


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    minimum_role: str = Role.VIEWER


NAVIGATION: list[NavEntry] = [
    NavEntry(_("Overview"), "dashboard:index"),
    NavEntry(_("Contacts"), "contacts:list"),
    NavEntry(_("Articles"), "articles:list"),
    NavEntry(_("Documents"), "documents:list"),
    NavEntry(_("Bookkeeping"), "bookkeeping:list"),
    NavEntry(_("Import"), "imports:index", Role.MEMBER),
    NavEntry(_("Receivables"), "receivables:overview"),
    NavEntry(_("Sync"), "sync:status", Role.ADMIN),
    NavEntry(_("Operations"), "operations:list"),
    NavEntry(_("Members"), "org:members"),
    NavEntry(_("Settings"), "org:settings", Role.ADMIN),
    NavEntry(_("Lexware connection"), "connection:detail", Role.ADMIN),
    NavEntry(_("API console"), "console:index", Role.ADMIN),
    NavEntry(_("Audit trail"), "audit:list", Role.ADMIN),
]


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    active: bool


def navigation_for(*, membership: Membership, current_path: str) -> list[NavLink]:
    """The entries this member may open, with their URLs; the longest matching one is active."""
    slug = membership.organization.slug
    links: list[tuple[NavEntry, str]] = []
    for entry in NAVIGATION:
        if not membership.has_role(entry.minimum_role):
            continue
        try:
            url = cached_reverse(entry.url_name, kwargs={"org_slug": slug})
        except NoReverseMatch:
            continue
        links.append((entry, url))
    matching = [url for _entry, url in links if current_path.startswith(url)]
    active_url = max(matching, key=len) if matching else None
    return [NavLink(label=entry.label, url=url, active=url == active_url) for entry, url in links]
