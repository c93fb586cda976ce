"""`{% data_as_of "contacts" as when %}`: how fresh the mirror behind a page is.

A template tag rather than view context, so that the areas' views need not import the sync
(the sync calls the areas, never the other way round).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from portal.articles.models import Article
from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.sync.models import SyncPart
from portal.sync.selectors import data_as_of as _data_as_of

register = template.Library()

# Before a first sync finished, the newest mirrored row of the part's table stands in.
FALLBACK_MODEL: dict[str, Any] = {
    SyncPart.Name.CONTACTS: Contact,
    SyncPart.Name.ARTICLES: Article,
    SyncPart.Name.VOUCHERLIST: Document,
}


@register.simple_tag(takes_context=True)
def data_as_of(context: template.Context, part: str) -> datetime | None:
    organization = getattr(context.get("request"), "organization", None)
    if organization is None:
        return None
    return _data_as_of(organization=organization, part=part, model=FALLBACK_MODEL.get(part))


# What the receiver did with an event (WebhookEvent.outcome, stored as these English codes).
OUTCOME_LABELS = {
    "unknown organization: dropped": _("unknown organization, dropped"),
    "connection marked revoked": _("connection marked as revoked"),
    "connection not usable: dropped": _("connection not usable, dropped"),
    "payment refresh queued": _("payment refresh queued"),
    "event type not mirrored": _("event type not mirrored"),
    "marked deleted": _("marked as deleted"),
    "refresh queued": _("refresh queued"),
}


@register.filter
def webhook_outcome(outcome: str) -> str:
    label = OUTCOME_LABELS.get(outcome)
    return str(label) if label is not None else outcome
