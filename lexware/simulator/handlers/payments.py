"""GET /v1/payments/{voucherId} (§5.15): payment state derived from the recorded payments."""

from __future__ import annotations

from lexware.simulator.errors import regular
from lexware.simulator.ledger import find_voucher, has_payment_info, payment_view
from lexware.simulator.routing import Context, Request, Response, router


@router.route("GET", "/v1/payments/{voucherId}", family="regular")
def payment_get(ctx: Context, req: Request, voucherId: str) -> Response:  # noqa: N803 (path name)
    found = find_voucher(ctx.tenant, voucherId)
    if found is None:
        raise regular(404, req, f"Resource with id '{voucherId}' not found", now=ctx.now())
    kind, voucher = found
    status = voucher.get("voucherStatus")
    if status in {"draft", "blank", "unchecked"}:
        # §5.15: drafts have no payment information → 406 ("not an error condition").
        raise regular(
            406, req, f"No payment information for a voucher in status '{status}'", now=ctx.now()
        )
    if not has_payment_info(voucher):
        raise regular(
            406, req, f"No payment information for vouchers of type '{kind}'", now=ctx.now()
        )
    with ctx.tenant.lock:
        return Response.json(200, payment_view(ctx.tenant, voucher))
