"""Reads for the editor: customers and articles from the mirrors, Lexware's payment conditions
and the organization's tax profile from the reference mirror. Never calls Lexware."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models.functions import Collate

from portal.articles.models import Article
from portal.articles.selectors import article_queryset
from portal.contacts.models import Contact
from portal.contacts.selectors import contact_queryset
from portal.core.mirror import GERMAN_COLLATION
from portal.organizations.models import LexwareConnection, Organization
from portal.reference.models import ReferenceItem

SEARCH_LIMIT = 8


def _query(text: str) -> str:
    """What is searched for: at most 100 characters, no NUL (PostgreSQL refuses it in text)."""
    return text.replace("\x00", "")[:100].strip()


def customer_search(*, organization: Organization, query: str) -> list[Contact]:
    """Customers whose name, customer number or e-mail contains the query (the contact list's
    search), the first few by name. Nothing for an empty query."""
    query = _query(query)
    if not query:
        return []
    customers = contact_queryset(organization=organization, query=query, role="customer")
    customers = customers.filter(archived=False)
    return list(customers.order_by(Collate("name", GERMAN_COLLATION), "pk")[:SEARCH_LIMIT])


def customer(*, organization: Organization, lexware_id: UUID) -> Contact | None:
    return Contact.objects.filter(
        organization=organization, lexware_id=lexware_id, is_customer=True, deleted_at__isnull=True
    ).first()


def article_search(*, organization: Organization, query: str) -> list[Article]:
    query = _query(query)
    if not query:
        return []
    articles = article_queryset(organization=organization, query=query)
    articles = articles.filter(archived=False)
    return list(articles.order_by(Collate("title", GERMAN_COLLATION), "pk")[:SEARCH_LIMIT])


def article(*, organization: Organization, lexware_id: UUID) -> Article | None:
    return Article.objects.filter(
        organization=organization, lexware_id=lexware_id, deleted_at__isnull=True
    ).first()


def payment_conditions(*, organization: Organization) -> list[dict[str, Any]]:
    """Lexware's payment conditions (§5.16) as the last sync saw them, the default first."""
    rows = ReferenceItem.objects.filter(
        organization=organization, kind=ReferenceItem.Kind.PAYMENT_CONDITION
    )
    conditions = [row.raw for row in rows if isinstance(row.raw, dict) and row.raw.get("id")]
    return sorted(conditions, key=lambda c: (not c.get("organizationDefault"), str(c["id"])))


@dataclass(frozen=True)
class TaxProfile:
    """What the organization's Lexware profile (§5.19) says about the tax types it may use."""

    vat_free_only: bool  # tax-exempt or Kleinunternehmer (§19 UStG): only `vatfree` documents
    known: bool  # False until the profile has been fetched once


def _profile(organization: Organization) -> dict[str, Any]:
    item = ReferenceItem.objects.filter(
        organization=organization, kind=ReferenceItem.Kind.PROFILE
    ).first()
    profile: dict[str, Any] = dict(item.raw) if item and isinstance(item.raw, dict) else {}
    if not profile:
        connection = LexwareConnection.objects.filter(organization=organization).first()
        profile = dict(connection.profile or {}) if connection else {}
    return profile


def company_name(*, organization: Organization) -> str:
    """The company name of the organization's Lexware profile (§5.19), "" when unknown."""
    return str(_profile(organization).get("companyName") or "")


def tax_profile(*, organization: Organization) -> TaxProfile:
    profile = _profile(organization)
    vat_free = profile.get("taxType") == "vatfree" or bool(profile.get("smallBusiness"))
    return TaxProfile(vat_free_only=vat_free, known=bool(profile))
