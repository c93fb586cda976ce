"""The sync's own mirror rows (reference data) and the one dispatch the sync needs across areas.

Each area writes its own mirror rows (contacts/mirror.py, articles/mirror.py,
documents/mirror.py); the sync engine, the refresh handlers and the webhook receiver call them.
Every writer is an idempotent upsert keyed by (organization, lexware id), so replays,
duplicate webhooks and overlapping sync windows never create duplicate rows.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.articles.models import Article
from portal.contacts.models import Contact
from portal.documents.models import Document, RecurringTemplate
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem

_REFERENCE_KEY = {
    ReferenceItem.Kind.COUNTRY: ("countryCode", "countryNameDE"),
    ReferenceItem.Kind.PAYMENT_CONDITION: ("id", "paymentTermLabelTemplate"),
    ReferenceItem.Kind.POSTING_CATEGORY: ("id", "name"),
    ReferenceItem.Kind.PRINT_LAYOUT: ("id", "name"),
    ReferenceItem.Kind.PROFILE: ("organizationId", "companyName"),
}


def replace_reference(*, organization: Organization, kind: str, items: list[dict[str, Any]]) -> int:
    """Reference lists are small and complete: replace the kind's rows with what Lexware sent.

    One INSERT … ON CONFLICT for the whole list and one DELETE: the country list has about
    250 entries, and a query per row held the next call of the key back by seconds
    (benchmarks.tenants, issue 18 item 3)."""
    key_field, name_field = _REFERENCE_KEY[ReferenceItem.Kind(kind)]
    now = timezone.now()
    rows: dict[str, ReferenceItem] = {}
    for item in items:
        key = str(item.get(key_field) or "")
        if not key:
            continue
        rows[key] = ReferenceItem(
            organization=organization,
            kind=kind,
            key=key,
            raw=item,
            name=str(item.get(name_field) or "")[:300],
            synced_at=now,
        )
    with transaction.atomic():
        ReferenceItem.objects.bulk_create(
            list(rows.values()),
            update_conflicts=True,
            unique_fields=["organization", "kind", "key"],
            update_fields=["raw", "name", "synced_at"],
        )
        ReferenceItem.objects.filter(organization=organization, kind=kind).exclude(
            key__in=list(rows)
        ).delete()
    return len(rows)


def mark_deleted(*, organization: Organization, resource: str, lexware_id: str) -> None:
    models: dict[str, type[Contact | Article | RecurringTemplate | Document]] = {
        "contacts": Contact,
        "articles": Article,
        "recurring_templates": RecurringTemplate,
    }
    model = models.get(resource, Document)
    now = timezone.now()
    # synced_at too: the receivables page keys its precomputed figures on the newest one.
    model.objects.filter(organization=organization, lexware_id=lexware_id).update(
        deleted_at=now, synced_at=now
    )
