"""`{% document_files_panel document %}`: the files region of the document page, so the
documents app shows files without importing this app (pyproject layers)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.files.views import panel_context

register = template.Library()


@register.inclusion_tag("files/_panel.html", takes_context=True)
def document_files_panel(context: dict[str, Any], document: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        **panel_context(request, document),
        "request": request,
        "membership": context.get("membership"),
        "organization": context.get("organization"),
    }
