"""Reads of the contact mirror (lexware-api.md §5.5). Never calls Lexware."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate
from django.shortcuts import get_object_or_404

from portal.contacts.models import Contact
from portal.core.browse import count_key, paginate
from portal.core.mirror import GERMAN_COLLATION, search_condition
from portal.documents.models import Document
from portal.organizations.models import Organization

PAGE_SIZE = 50
LIST_COLUMNS = (
    "lexware_id",
    "name",
    "is_company",
    "is_customer",
    "is_vendor",
    "customer_number",
    "vendor_number",
    "email",
    "phone",
    "city",
    "country_code",
    "archived",
    "synced_at",
)
ROLES = ("customer", "vendor")


def _search(query: str) -> Q:
    """Name, customer/vendor number and e-mail: a substring of the lower-cased search text,
    and for digits also the exact customer or vendor number."""
    term = query.strip().lower()
    condition = search_condition(term)
    if term.isdecimal() and len(term) < 10:  # isdigit() also takes "²", which int() refuses
        number = int(term)
        condition |= Q(customer_number=number) | Q(vendor_number=number)
    return condition


def contact_queryset(
    *, organization: Organization, query: str = "", role: str | None = None
) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(organization=organization, deleted_at__isnull=True)
    if query.strip():
        contacts = contacts.filter(_search(query))
    if role == "customer":
        contacts = contacts.filter(is_customer=True)
    elif role == "vendor":
        contacts = contacts.filter(is_vendor=True)
    return contacts


def contact_list(
    *,
    organization: Organization,
    query: str = "",
    role: str | None = None,
    page: int | None = 1,
    page_size: int = PAGE_SIZE,
) -> Page[Any]:
    contacts = contact_queryset(organization=organization, query=query, role=role)
    contacts = contacts.only(*LIST_COLUMNS).order_by(Collate("name", GERMAN_COLLATION), "pk")
    key = count_key("contacts", organization.pk, {"q": query.strip().lower(), "role": role})
    return paginate(contacts, page=page, page_size=page_size, key=key)


def contact_detail(*, organization: Organization, lexware_id: object) -> Contact:
    """The contact or 404; deleted contacts are gone for the portal as for Lexware."""
    return get_object_or_404(
        Contact, organization=organization, lexware_id=lexware_id, deleted_at__isnull=True
    )


def contact_documents(
    *, organization: Organization, contact: Contact, limit: int = 50
) -> QuerySet[Document]:
    """The contact's newest documents and vouchers from the mirror."""
    from portal.documents.selectors import LIST_COLUMNS as DOCUMENT_COLUMNS

    return (
        Document.objects.filter(
            organization=organization,
            contact_lexware_id=contact.lexware_id,
            deleted_at__isnull=True,
        )
        .only(*DOCUMENT_COLUMNS)
        .order_by("-voucher_date", "-pk")[:limit]
    )


def contact_duplicates(
    *,
    organization: Organization,
    name: str,
    emails: list[str],
    vat_id: str,
    limit: int = 5,
) -> list[Contact]:
    """Contacts in the mirror a new contact may duplicate: the same name, an e-mail address or
    VAT id it has (case-insensitive), for the warning before creating."""
    condition = Q()
    if name.strip():
        condition |= Q(name__iexact=name.strip())
    for email in emails:
        condition |= Q(email__iexact=email)
    if vat_id:
        condition |= Q(raw__company__vatRegistrationId=vat_id)
    if not condition:
        return []
    found = Contact.objects.filter(condition, organization=organization, deleted_at__isnull=True)
    return list(found.order_by("name")[:limit])
