"""Template helpers of the receivables pages: SVG numbers, month labels, the contact's open
items and the payments of a document (inclusion tags, so that the contact and document pages
need not import this app: it sits beside contacts and above documents)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from portal.core.templatetags.formatting import EN_MONTHS, current_language

register = template.Library()


@register.filter
def svgnum(value: Any) -> str:
    """A coordinate for an SVG attribute: always a decimal point, whatever the language
    (Django would localise a float to "12,5" in German, which SVG does not read)."""
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return "0"


@register.filter
def month_label(value: Any) -> str:
    """`2026-11-01` → `11/2026` (de) / `Nov 2026` (en)."""
    if not isinstance(value, date):
        return ""
    if current_language() == "en":
        return f"{EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.month:02d}/{value.year}"


@register.filter
def short_month(value: Any) -> str:
    """Axis label: `11/26` (de) / `Nov` (en)."""
    if not isinstance(value, date):
        return ""
    if current_language() == "en":
        return EN_MONTHS[value.month - 1]
    return f"{value.month:02d}/{value.year % 100:02d}"


@register.inclusion_tag("receivables/_contact_open_items.html", takes_context=True)
def contact_open_items(context: template.Context, contact_id: Any) -> dict[str, Any]:
    """The contact page's "Offene Posten": the customer's open invoices and balance."""
    from portal.receivables.selectors import contact_open_items as open_items

    request = context.get("request")
    organization = getattr(request, "organization", None)
    membership = getattr(request, "membership", None)
    return {
        "open_items": open_items(organization=organization, contact_id=contact_id)
        if organization is not None
        else None,
        "organization": organization,
        "contact_id": contact_id,
        "can_write": bool(membership and membership.can_write),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("receivables/_dashboard_aging.html", takes_context=True)
def dashboard_aging(context: template.Context) -> dict[str, Any]:
    """The dashboard's small aging bar, linking to the receivables pages (issue 14 item 4)."""
    from portal.receivables.charts import STRIP_HEIGHT, STRIP_WIDTH, aging_strip
    from portal.receivables.selectors import aging, aging_from_bands

    request = context.get("request")
    organization = getattr(request, "organization", None)
    if organization is None:
        return {"segments": []}
    # The dashboard's figures carry the bands already (the same query): no second one.
    bands = getattr(context.get("figures"), "bands", None)
    figures = aging_from_bands(bands) if bands else aging(organization=organization)
    return {
        "organization": organization,
        "segments": aging_strip(figures.buckets),
        "width": STRIP_WIDTH,
        "height": STRIP_HEIGHT,
    }
