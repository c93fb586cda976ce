"""`{% document_emails_panel document %}`: the document's e-mails (its history) on its page."""

from __future__ import annotations

from typing import Any

from django import template

from portal.emails.models import OutgoingEmail
from portal.files.selectors import has_file

register = template.Library()


@register.inclusion_tag("emails/_panel.html", takes_context=True)
def document_emails_panel(context: dict[str, Any], document: Any) -> dict[str, Any]:
    emails = OutgoingEmail.objects.filter(
        organization_id=document.organization_id, document=document
    ).prefetch_related("attachments")
    return {
        "document": document,
        "emails": list(emails[:50]),
        "organization": context.get("organization"),
        "membership": context.get("membership"),
        "sendable": has_file(document),
    }
