"""POST endpoints of the sales vouchers (§5.2, §5.7, §5.8, §5.10, §5.13, §5.14, §5.20).

Deliberately absent (Appendix A): collection GETs, PUT, DELETE, `/finalize`, `/send`, and any
POST on down payment invoices; the core app answers those as unknown routes.
"""

from __future__ import annotations

import json
from typing import Any

from lexware.simulator.actions import resource_uri
from lexware.simulator.errors import regular, validation
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.sales_build import RuleViolation, create_voucher
from lexware.simulator.sales_kinds import KIND_PATHS

CREATABLE = ("invoice", "creditnote", "quotation", "orderconfirmation", "deliverynote", "dunning")


def json_body(ctx: Context, req: Request) -> Any:
    content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise regular(415, req, "Content type '" + content_type + "' not supported", now=ctx.now())
    try:
        return req.json()
    except (ValueError, UnicodeDecodeError) as error:
        raise regular(400, req, f"JSON parse error: {error}", now=ctx.now()) from None


def action_result(ctx: Context, voucher: dict[str, Any], path: str) -> Response:
    # The simulated gateway's public URL (`Simulator(base_url=…)`), as for every other
    # resource; not the request's Host, which over HTTP is the local server's address.
    uri = resource_uri(ctx, f"/v1/{path}/{voucher['id']}")
    body = {
        "id": voucher["id"],
        "resourceUri": uri,
        "createdDate": voucher["createdDate"],
        "updatedDate": voucher["updatedDate"],
        "version": voucher["version"],
    }
    return Response(
        201, json.dumps(body).encode(), [("Content-Type", "application/json"), ("Location", uri)]
    )


def _create(kind: str, ctx: Context, req: Request) -> Response:
    body = json_body(ctx, req)
    finalize = (req.param("finalize") or "").strip().lower() == "true"
    preceding = req.param("precedingSalesVoucherId")
    try:
        voucher = create_voucher(
            ctx.tenant,
            kind,
            body,
            finalize=finalize,
            now=ctx.now(),
            preceding_id=preceding.strip() if preceding else None,
            sim=ctx.sim,
        )
    except RuleViolation as violation:
        error = validation("regular", req, violation.problems, now=ctx.now())
        if violation.message:
            payload = json.loads(error.response.body)
            payload["message"] = violation.message
            error.response.body = json.dumps(payload, ensure_ascii=False).encode()
        raise error from None
    return action_result(ctx, voucher, KIND_PATHS[kind])


def _register(kind: str) -> None:
    def create(ctx: Context, req: Request) -> Response:
        return _create(kind, ctx, req)

    create.__name__ = f"{kind}_create"
    router.route("POST", f"/v1/{KIND_PATHS[kind]}", family="regular")(create)


for _kind in CREATABLE:
    _register(_kind)
