"""`{% share_links_panel document %}`: the customer-links summary on the document page."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from portal.files.selectors import has_file
from portal.sharing.models import ShareLink

register = template.Library()


@register.inclusion_tag("sharing/_panel.html", takes_context=True)
def share_links_panel(context: dict[str, Any], document: Any) -> dict[str, Any]:
    shareable = has_file(document)
    counts = {"total": 0, "active": 0}
    if shareable:  # drafts have no PDF to share: no links to count
        # Counted in the database (ShareLink.state's "active": not revoked, not expired); the
        # organization by id, as `document.organization` would be one more query.
        counts = ShareLink.objects.filter(
            organization_id=document.organization_id, document=document
        ).aggregate(
            total=Count("pk"),
            active=Count("pk", filter=Q(revoked_at__isnull=True, expires_at__gt=timezone.now())),
        )
    return {
        "document": document,
        "organization": context.get("organization"),
        "membership": context.get("membership"),
        "shareable": shareable,
        "active_count": counts["active"],
        "link_count": counts["total"],
    }
