"""`{% sales_document_panel document %}`: the document page's ways into the editor (follow-up
documents of §5.2, copies, portal drafts) so the documents app shows them without importing
this app (pyproject layers); `{% editor_origin form %}`: what an editor was opened from."""

from __future__ import annotations

import uuid
from typing import Any

from django import template

from portal.documents.models import Document
from portal.documents.selectors import shown_status
from portal.sales import drafts, followup
from portal.sales.handlers import LABELS
from portal.sales.types import SALES_TYPES

register = template.Library()


@register.inclusion_tag("sales/_document_panel.html", takes_context=True)
def sales_document_panel(context: dict[str, Any], document: Document) -> dict[str, Any]:
    membership = context.get("membership")
    organization = context.get("organization")
    shown: dict[str, Any] = {"show": False}
    if membership is None or organization is None or not document.is_sales:
        return shown
    facts = drafts.draft_facts(organization=organization, document=document)
    can_write = bool(getattr(membership, "can_write", False))
    return {
        "show": True,
        "can_write": can_write,
        "document": document,
        "organization": organization,
        "follow_ups": [
            (target, LABELS[target.voucher_type], refusal)
            for target, refusal in (followup.follow_up_types(document) if can_write else [])
        ],
        "dunning": can_write
        and document.voucher_type == "invoice"
        and shown_status(document) == "overdue",
        "copy_types": list(SALES_TYPES.values()),
        "facts": facts,
        "portal_draft": facts.create is not None and document.status == "draft",
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("sales/_editor_origin_note.html", takes_context=True)
def editor_origin(context: dict[str, Any], form: Any) -> dict[str, Any]:
    organization = context.get("organization")
    found: dict[str, Any] = {"organization": organization}
    if "preceding_id" in form.fields:
        # Lexware's refusal of the pursue (§5.2) belongs to the block naming what it follows.
        found["preceding_errors"] = form["preceding_id"].errors
    for name in ("preceding_id", "replaces_draft"):
        value = str(form[name].value() or "") if name in form.fields else ""
        try:
            lexware_id = uuid.UUID(value)
        except ValueError:
            continue  # nothing yet, or junk (the form says so on its field)
        if organization is not None:
            found[name] = Document.objects.filter(
                organization=organization, lexware_id=lexware_id
            ).first()
    return found
