"""`{% document_preview_panel document %}` and `{% statement_panel contact %}`: the "Preview
PDF" and "Statement (PDF)" regions, for pages of apps below this one (pyproject layers)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.rendering import selectors
from portal.rendering.views import job_context

register = template.Library()


def _base(context: Any) -> dict[str, Any]:
    return {
        "request": context["request"],
        "membership": context.get("membership"),
        "organization": context.get("organization"),
    }


@register.inclusion_tag("rendering/_document_panel.html", takes_context=True)
def document_preview_panel(context: Any, document: Any) -> dict[str, Any]:
    organization = context["request"].organization
    job = selectors.latest_preview(
        organization=organization, document_lexware_id=document.lexware_id
    )
    return {**_base(context), **job_context(job), "document": document}


@register.inclusion_tag("rendering/_statement_panel.html", takes_context=True)
def statement_panel(context: Any, contact: Any) -> dict[str, Any]:
    organization = context["request"].organization
    job = selectors.latest_statement(
        organization=organization, contact_lexware_id=contact.lexware_id
    )
    return {**_base(context), **job_context(job), "contact": contact}
