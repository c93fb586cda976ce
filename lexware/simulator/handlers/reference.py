"""Reference data and profile (lexware-api.md §5.6, §5.16-5.19): bare arrays / one object."""

from __future__ import annotations

from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import public


@router.route("GET", "/v1/countries")
def countries_list(ctx: Context, req: Request) -> Response:
    return Response.json(200, ctx.tenant.countries)


@router.route("GET", "/v1/payment-conditions")
def payment_conditions_list(ctx: Context, req: Request) -> Response:
    return Response.json(200, ctx.tenant.payment_conditions)


@router.route("GET", "/v1/posting-categories")
def posting_categories_list(ctx: Context, req: Request) -> Response:
    return Response.json(200, ctx.tenant.posting_categories)


@router.route("GET", "/v1/print-layouts")
def print_layouts_list(ctx: Context, req: Request) -> Response:
    return Response.json(200, ctx.tenant.print_layouts)


@router.route("GET", "/v1/profile")
def profile_get(ctx: Context, req: Request) -> Response:
    return Response.json(200, public(ctx.tenant.profile))
