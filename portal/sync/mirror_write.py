"""The sync's own mirror rows (reference data) and the one dispatch the sync needs across areas.

Each area writes its own mirror rows (contacts/mirror.py, articles/mirror.py,
documents/mirror.py); the sync engine, the refresh handlers and the webhook receiver call them.
Every writer is an idempotent upsert keyed by (organization, lexware id), so replays,
duplicate webhooks and overlapping sync windows never create duplicate rows.
"""

from __future__ import annotations

from typing import Any

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
    """Reference lists are small and complete: replace the kind's rows with what Lexware sent."""
    key_field, name_field = _REFERENCE_KEY[ReferenceItem.Kind(kind)]
    keep: list[str] = []
    for item in items:
        key = str(item.get(key_field) or "")
        if not key:
            continue
        keep.append(key)
        ReferenceItem.objects.update_or_create(
            organization=organization,
            kind=kind,
            key=key,
            defaults={
                "raw": item,
                "name": str(item.get(name_field) or "")[:300],
                "synced_at": timezone.now(),
            },
        )
    ReferenceItem.objects.filter(organization=organization, kind=kind).exclude(
        key__in=keep
    ).delete()
    return len(keep)


def mark_deleted(*, organization: Organization, resource: str, lexware_id: str) -> None:
    models: dict[str, type[Contact | Article | RecurringTemplate | Document]] = {
        "contacts": Contact,
        "articles": Article,
        "recurring_templates": RecurringTemplate,
    }
    model = models.get(resource, Document)
    model.objects.filter(organization=organization, lexware_id=lexware_id).update(
        deleted_at=timezone.now()
    )
