"""Out-of-band control API under `/_simulator/` (localstripe's `/_config/…` idea).

Never rate limited and never part of the simulated Lexware API. If the simulator has a
`control_token`, every call must send it as `X-Simulator-Token`.

Endpoints (JSON in and out; keys are the raw API keys, answers show only fingerprints):

    GET    /_simulator/health
    POST   /_simulator/reset          {"apiKey"?}               all organisations or one
    POST   /_simulator/seed           {"apiKey", "mode", "size"?, "contacts"?, "seedNumber"?,
                                       "distanceSalesPrinciple"?}
    GET    /_simulator/public-key                                PEM of the webhook key
    GET    /_simulator/requests?apiKey=&key=&since=             request log
    GET    /_simulator/clock                                    {"now", "offsetSeconds"}
    POST   /_simulator/clock          {"advanceSeconds"?|"advanceDays"?|"offsetSeconds"?|"set"?}
    GET    /_simulator/faults?apiKey=
    POST   /_simulator/faults         {"apiKey", "kind", "count"?, "ratio"?, "method"?, "pathPrefix"?, "delay"?}
    DELETE /_simulator/faults?apiKey=
    POST   /_simulator/rate-limit     {"rate"?, "burst"?}
    POST   /_simulator/payments       {"apiKey", "voucherId", "amount"?, "paymentItemType"?, "postingDate"?}
    POST   /_simulator/webhooks/flush {"timeout"?}
    GET    /_simulator/webhooks                                 delivery log
"""

from __future__ import annotations

import hmac
import importlib
import json
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from lexware.simulator.faults import Fault
from lexware.simulator.routing import Request, Response
from lexware.simulator.timefmt import BERLIN, add_days, format_datetime, parse_date, parse_datetime

if TYPE_CHECKING:
    from lexware.simulator.app import Simulator

ControlHandler = Callable[["Simulator", Request, dict[str, Any]], Response]
_ROUTES: dict[tuple[str, str], ControlHandler] = {}


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def control(method: str, path: str) -> Callable[[ControlHandler], ControlHandler]:
    def register(handler: ControlHandler) -> ControlHandler:
        _ROUTES[(method, path)] = handler
        return handler

    return register


def handle_control(sim: Simulator, req: Request) -> Response:
    if sim.control_token and not hmac.compare_digest(
        req.headers.get("x-simulator-token", ""), sim.control_token
    ):
        return Response.json(401, {"message": "control token required"})
    path = req.path.rstrip("/")
    handler = _ROUTES.get((req.method, path))
    if handler is None:
        known = any(p == path for _, p in _ROUTES)
        return Response.json(
            405 if known else 404, {"message": f"no control endpoint {req.method} {path}"}
        )
    try:
        body = json.loads(req.body.decode("utf-8")) if req.body.strip() else {}
        if not isinstance(body, dict):
            raise ControlError(400, "JSON object expected")
        for name, values in req.query.items():
            body.setdefault(name, values[0])
        return handler(sim, req, body)
    except ControlError as error:
        return Response.json(error.status, {"message": error.message})
    except (ValueError, KeyError, TypeError) as error:
        return Response.json(400, {"message": str(error)})


def _key(body: dict[str, Any], required: bool = True) -> str | None:
    key = body.get("apiKey")
    if required and not key:
        raise ControlError(400, "apiKey is required")
    return str(key) if key else None


@control("GET", "/_simulator/health")
def health(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    return Response.json(
        200, {"status": "ok", "organizations": len(sim.tenants), "now": format_datetime(sim.now())}
    )


@control("POST", "/_simulator/reset")
def reset(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    sim.reset(_key(body, required=False))
    return Response.json(200, {"reset": body.get("apiKey") and "one" or "all"})


@control("POST", "/_simulator/seed")
def seed(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    key = _key(body)
    assert key is not None
    mode = str(body.get("mode", "demo"))
    size = int(body["size"]) if body.get("size") is not None else None
    contacts = int(body["contacts"]) if body.get("contacts") is not None else None
    number = int(body["seedNumber"]) if body.get("seedNumber") is not None else None
    principle = body.get("distanceSalesPrinciple")
    tenant = sim.seed_tenant(
        key,
        mode,
        seed_number=number,
        size=size,
        contacts=contacts,
        distance_sales_principle=str(principle) if principle else None,
    )
    return Response.json(
        200,
        {
            "organizationId": tenant.organization_id,
            "mode": mode,
            "contacts": len(tenant.contacts),
            "articles": len(tenant.articles),
            "vouchers": len(tenant.vouchers),
            "salesVouchers": len(tenant.sales),
            "distanceSalesPrinciple": tenant.profile.get("distanceSalesPrinciple"),
        },
    )


@control("GET", "/_simulator/public-key")
def public_key(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    return Response(200, sim.public_key_pem(), [("Content-Type", "application/x-pem-file")])


def _since(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return parse_datetime(str(value)).timestamp()


@control("GET", "/_simulator/requests")
def requests(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    from lexware.ratelimit import key_fingerprint

    fingerprint = body.get("key") or (
        key_fingerprint(str(body["apiKey"])) if body.get("apiKey") else None
    )
    entries = sim.requests_since(_since(body.get("since")), fingerprint)
    return Response.json(200, {"requests": entries})


@control("GET", "/_simulator/clock")
def clock_get(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    return Response.json(
        200, {"now": format_datetime(sim.now()), "offsetSeconds": sim.clock_offset.total_seconds()}
    )


@control("POST", "/_simulator/clock")
def clock_set(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    if body.get("set"):
        target = parse_datetime(str(body["set"]))
        sim.clock_offset += target - sim.now()
    if body.get("offsetSeconds") is not None:
        sim.clock_offset = timedelta(seconds=float(body["offsetSeconds"]))
    if body.get("advanceSeconds") is not None:
        sim.clock_offset += timedelta(seconds=float(body["advanceSeconds"]))
    if body.get("advanceDays") is not None:
        # Whole days are Berlin calendar days (Appendix B, §8.1): the wall-clock time stays put
        # across a DST change; a fraction is added in hours.
        days = float(body["advanceDays"])
        whole = int(days)
        now = sim.now()
        sim.clock_offset += add_days(now, whole) - now + timedelta(days=days - whole)
    return clock_get(sim, req, {})


@control("GET", "/_simulator/faults")
def faults_list(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    from lexware.ratelimit import key_fingerprint

    listing = sim.faults.listing(_key(body, required=False))
    return Response.json(200, {"faults": {key_fingerprint(k): v for k, v in listing.items()}})


@control("POST", "/_simulator/faults")
def faults_add(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    key = _key(body)
    assert key is not None
    fault = Fault(
        kind=str(body["kind"]),
        count=int(body["count"]) if body.get("count") is not None else None,
        ratio=float(body["ratio"]) if body.get("ratio") is not None else None,
        method=body.get("method"),
        path_prefix=body.get("pathPrefix"),
        delay=float(body.get("delay") or 0),
    )
    return Response.json(201, sim.faults.add(key, fault).as_json())


@control("DELETE", "/_simulator/faults")
def faults_clear(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    sim.faults.clear(_key(body, required=False))
    return Response.empty(204)


@control("POST", "/_simulator/rate-limit")
def rate_limit(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    sim.limiter.configure(
        rate=float(body["rate"]) if body.get("rate") is not None else None,
        burst=float(body["burst"]) if body.get("burst") is not None else None,
    )
    return Response.json(200, {"rate": sim.limiter.rate, "burst": sim.limiter.burst})


@control("POST", "/_simulator/payments")
def payments(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    """Book a (partial) payment on a sales or bookkeeping voucher via ledger.record_payment.
    A payment the voucher cannot take (draft, voided, too large) answers 400 with the reason."""
    key = _key(body)
    assert key is not None
    try:
        ledger = importlib.import_module("lexware.simulator.ledger")
    except ModuleNotFoundError:
        raise ControlError(
            501, "payments are not available: lexware.simulator.ledger is missing"
        ) from None
    tenant = sim.tenant_for_key(key)
    voucher_id = str(body["voucherId"])
    if voucher_id not in tenant.sales and voucher_id not in tenant.vouchers:
        raise ControlError(404, f"no voucher {voucher_id}")
    posting = body.get("postingDate")
    with tenant.lock:
        result = ledger.record_payment(
            sim,
            tenant,
            voucher_id,
            amount=float(body["amount"]) if body.get("amount") is not None else None,
            payment_item_type=str(body.get("paymentItemType") or "manualPayment"),
            posting_date=_posting_date(posting),
        )
    return Response.json(200, result if isinstance(result, dict) else {"voucherId": voucher_id})


def _posting_date(value: Any) -> datetime | None:
    """A full Lexware timestamp, or `yyyy-MM-dd` (midnight in Berlin); nothing → None (= now)."""
    if not value:
        return None
    try:
        return parse_datetime(str(value))
    except ValueError:
        return datetime.combine(parse_date(str(value)), time(0), tzinfo=BERLIN)


@control("POST", "/_simulator/webhooks/flush")
def webhooks_flush(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    idle = sim.flush_webhooks(float(body.get("timeout") or 10))
    return Response.json(200, {"idle": idle})


@control("GET", "/_simulator/webhooks")
def webhooks_log(sim: Simulator, req: Request, body: dict[str, Any]) -> Response:
    return Response.json(200, {"deliveries": list(sim.webhooks.log)})
