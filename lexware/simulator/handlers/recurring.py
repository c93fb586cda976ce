"""Recurring templates (§5.21): read-only, a paged list of reduced items and the full GET."""

from __future__ import annotations

from typing import Any

from lexware.simulator.errors import regular
from lexware.simulator.paging import paginate
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import public

SORTS = {
    "createddate": "createdDate",
    "updateddate": "updatedDate",
    "lastexecutiondate": "lastExecutionDate",
    "nextexecutiondate": "nextExecutionDate",
}
SETTINGS_SORTS = {"lastExecutionDate", "nextExecutionDate"}


def reduced(template: dict[str, Any]) -> dict[str, Any]:
    """§5.21 list item: id, organizationId, title, dates, address, totals, conditions, settings."""
    address = template.get("address") or {}
    total = template.get("totalPrice") or {}
    return {
        "id": template["id"],
        "organizationId": template.get("organizationId"),
        "title": template.get("title"),
        "createdDate": template.get("createdDate"),
        "updatedDate": template.get("updatedDate"),
        "address": {"contactId": address.get("contactId"), "name": address.get("name")},
        "totalPrice": {k: total.get(k) for k in ("currency", "totalNetAmount", "totalGrossAmount")},
        "paymentConditions": template.get("paymentConditions"),
        "recurringTemplateSettings": template.get("recurringTemplateSettings"),
    }


def _sort_value(template: dict[str, Any], prop: str) -> str:
    source = template.get("recurringTemplateSettings") or {} if prop in SETTINGS_SORTS else template
    value = source.get(prop)
    return str(value) if value is not None else ""


@router.route("GET", "/v1/recurring-templates", family="regular")
def recurring_template_list(ctx: Context, req: Request) -> Response:
    prop, direction = "updatedDate", "DESC"
    raw = req.param("sort")
    if raw:
        name, _, given = (part.strip() for part in raw.partition(","))
        if name.lower() not in SORTS or given.upper() not in {"", "ASC", "DESC"}:
            raise regular(
                400,
                req,
                f"Invalid value '{raw}' received for request parameter 'sort'",
                now=ctx.now(),
            )
        prop, direction = SORTS[name.lower()], given.upper() or "ASC"
    # Templates without the sort value (paused/ended have no nextExecutionDate) come last in
    # both directions, so `size=1&sort=nextExecutionDate,ASC` finds the next due template.
    present = [t for t in ctx.tenant.recurring_templates.values() if _sort_value(t, prop)]
    absent = [t for t in ctx.tenant.recurring_templates.values() if not _sort_value(t, prop)]
    templates = sorted(
        present,
        key=lambda t: (_sort_value(t, prop), str(t.get("createdDate")), t["id"]),
        reverse=direction == "DESC",
    ) + sorted(absent, key=lambda t: t["id"])
    return paginate(req, templates, max_size=250, sort=[(prop, direction)], transform=reduced)


@router.route("GET", "/v1/recurring-templates/{id}", family="regular")
def recurring_template_get(ctx: Context, req: Request, id: str) -> Response:
    template = ctx.tenant.recurring_templates.get(id)
    if template is None:
        raise regular(404, req, f"Resource with id '{id}' not found", now=ctx.now())
    return Response.json(200, public(template))
