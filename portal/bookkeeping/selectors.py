"""Reads of bookkeeping vouchers (lexware-api.md §5.23): the document mirror restricted to
BOOKKEEPING_TYPES, with the same filters as the sales documents. Never calls Lexware."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Page

from portal.documents.models import BOOKKEEPING_TYPES, Document
from portal.documents.selectors import DEFAULT_SORT, PAGE_SIZE, document_detail, document_list
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem


def voucher_list(
    *,
    organization: Organization,
    types: tuple[str, ...] | list[str] = BOOKKEEPING_TYPES,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    contact: Any = None,
    query: str = "",
    sort: str = DEFAULT_SORT,
    page: int | None = 1,
    page_size: int = PAGE_SIZE,
) -> Page[Any]:
    # Never more than the bookkeeping types, whatever the caller passes.
    allowed = [voucher_type for voucher_type in types if voucher_type in BOOKKEEPING_TYPES] or list(
        BOOKKEEPING_TYPES
    )
    return document_list(
        organization=organization,
        types=allowed,
        status=status,
        date_from=date_from,
        date_to=date_to,
        contact=contact,
        query=query,
        sort=sort,
        page=page,
        page_size=page_size,
    )


def voucher_detail(*, organization: Organization, lexware_id: Any) -> Document:
    return document_detail(
        organization=organization, lexware_id=lexware_id, types=BOOKKEEPING_TYPES
    )


def voucher_items(*, organization: Organization, voucher: Document) -> list[dict[str, Any]]:
    """`voucherItems` of the details, each with the posting category's name (§5.17)."""
    items = [
        dict(item)
        for item in (voucher.raw or {}).get("voucherItems") or []
        if isinstance(item, dict)
    ]
    names = dict(
        ReferenceItem.objects.filter(
            organization=organization,
            kind=ReferenceItem.Kind.POSTING_CATEGORY,
            key__in=[str(item.get("categoryId")) for item in items if item.get("categoryId")],
        ).values_list("key", "name")
    )
    for item in items:
        item["category_name"] = names.get(str(item.get("categoryId") or ""), "")
    return items
