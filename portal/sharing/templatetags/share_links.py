"""`{% share_links_panel document %}`: the customer-links summary on the document page."""

from __future__ import annotations

from typing import Any

from django import template

from portal.files.selectors import has_file
from portal.sharing.models import ShareLink

register = template.Library()


@register.inclusion_tag("sharing/_panel.html", takes_context=True)
def share_links_panel(context: dict[str, Any], document: Any) -> dict[str, Any]:
    shareable = has_file(document)
    # The panel counts links only where there can be any (drafts have no PDF to share). The
    # organization by id: `document.organization` would be one more query.
    links = (
        list(ShareLink.objects.filter(organization_id=document.organization_id, document=document))
        if shareable
        else []
    )
    return {
        "document": document,
        "organization": context.get("organization"),
        "membership": context.get("membership"),
        "shareable": shareable,
        "active_count": sum(1 for link in links if link.state == "active"),
        "link_count": len(links),
    }
