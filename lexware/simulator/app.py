"""The simulator as one WSGI application (localstripe `server.py` / moto shape, style-anchors §3.6).

Order of the checks for an API request, each answered in the shape the real gateway uses
(lexware-api.md §1, §2):

1. `/_simulator/…` → control API (control.py), never rate limited.
2. No route for the path at all → 403 gateway message (§2.1; gateway.py).
3. Missing/invalid Bearer key, or a key outside `api_keys` → 401 `{"message": "Unauthorized"}`.
4. Token bucket of the key empty → 429 `{"message": "Rate limit exceeded"}`; nothing executed.
5. Injected faults (faults.py).
6. PUT on a sales voucher → 404 (observed, §2.1 note); known path, other method → 405; POST/PUT with the wrong Content-Type → 415.
7. The handler runs under the tenant's lock; a SimError becomes its response.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from lexware.ratelimit import key_fingerprint
from lexware.simulator import handlers as _handlers  # noqa: F401  (registers the routes)
from lexware.simulator.errors import SimError, regular
from lexware.simulator.faults import FaultRegistry
from lexware.simulator.gateway import (
    STATUS_TEXT,
    UNKNOWN_ROUTE_STATUSES,
    bearer_key,
    header_fingerprint,
    measured_not_found,
    unknown_route,
)
from lexware.simulator.ratelimit import RateLimiter
from lexware.simulator.routing import Context, Request, Response, Route, router
from lexware.simulator.scheduler import Scheduler
from lexware.simulator.state import Tenant
from lexware.simulator.timefmt import format_datetime
from lexware.simulator.webhooks import Signer, WebhookDispatcher

StartResponse = Callable[..., Any]
DISTANCE_SALES_PRINCIPLES = ("ORIGIN", "DESTINATION")


class DropConnection(Exception):
    """Raised by the app when a `drop` fault fires: the server closes the socket unanswered."""


class Simulator:
    def __init__(
        self,
        *,
        rate: float = 2.0,
        burst: float = 2,
        seed: str = "empty",
        seed_number: int = 42,
        scale_size: int = 1000,
        scale_contacts: int | None = None,
        state_file: str | None = None,
        api_keys: Iterable[str] | None = None,
        clock: Callable[[], datetime] | None = None,
        webhook_time_scale: float = 1.0,
        webhook_transport: httpx.BaseTransport | None = None,
        allow_http_callbacks: bool = False,
        probe_callbacks: bool = True,
        ocr_delay: float = 3.0,
        signing_key_pem: bytes | None = None,
        control_token: str | None = None,
        base_url: str = "https://api.lexware.io",
        rate_limit_body: str = "Rate limit exceeded",
        distance_sales_principle: str | None = None,
        unknown_route_status: int = 403,
    ) -> None:
        if unknown_route_status not in UNKNOWN_ROUTE_STATUSES:
            raise ValueError("unknown_route_status must be 403 or 404")
        # Other unknown routes: §2.1's documented 403 gateway body, or 404 (Appendix A: make it
        # configurable; §9 item 3).
        self.unknown_route_status = unknown_route_status
        self.seed_mode = seed
        # §5.19/§8.4: ORIGIN (the seeds' default) or DESTINATION for every seeded organisation.
        self.distance_sales_principle = distance_sales_principle
        self.seed_number = seed_number
        self.scale_size = scale_size
        self.scale_contacts = scale_contacts  # None: as many contacts as vouchers
        self.state_file = state_file
        self.api_keys = set(api_keys) if api_keys is not None else None
        self._clock = clock
        self.clock_offset = timedelta(0)
        self.allow_http_callbacks = allow_http_callbacks
        self.probe_callbacks = probe_callbacks
        self.ocr_delay = ocr_delay
        self.control_token = control_token
        self.base_url = base_url
        self.rate_limit_body = rate_limit_body
        self.limiter = RateLimiter(rate, burst)
        self.faults = FaultRegistry()
        self.tenants: dict[str, Tenant] = {}
        self._tenants_lock = threading.RLock()
        self.request_log: deque[dict[str, Any]] = deque(maxlen=200_000)
        self._log_lock = threading.Lock()
        self.scheduler = Scheduler()
        loaded: dict[str, Any] | None = None
        if state_file:
            from lexware.simulator.persistence import load_state

            loaded = load_state(state_file)
        if loaded is not None:
            self.tenants = loaded["tenants"]
            self.clock_offset = loaded.get("clock_offset", timedelta(0))
            signing_key_pem = signing_key_pem or loaded.get("signing_key_pem")
        signer = Signer.from_pem(signing_key_pem) if signing_key_pem else Signer.generate()
        self.webhooks = WebhookDispatcher(
            signer, self.scheduler, time_scale=webhook_time_scale, transport=webhook_transport
        )

    # -- time, tenants, events -------------------------------------------------------------

    def now(self) -> datetime:
        base = self._clock() if self._clock else datetime.now(UTC)
        return base + self.clock_offset

    def tenant_for_key(self, api_key: str, *, mode: str | None = None) -> Tenant:
        """The organisation behind a key, created (and seeded) on first use."""
        with self._tenants_lock:
            tenant = self.tenants.get(api_key)
            if tenant is None:
                tenant = self.seed_tenant(api_key, mode or self.seed_mode)
            return tenant

    def seed_tenant(
        self,
        api_key: str,
        mode: str,
        *,
        seed_number: int | None = None,
        size: int | None = None,
        contacts: int | None = None,
        distance_sales_principle: str | None = None,
    ) -> Tenant:
        """Replace the key's organisation by a freshly seeded one (modes: empty, demo, scale).

        ``size`` and ``contacts`` only matter for ``scale``; an explicit ``size`` without
        ``contacts`` seeds as many contacts as vouchers. ``distance_sales_principle``
        (``ORIGIN``/``DESTINATION``, default: the simulator's setting, else ORIGIN) goes into
        the profile (§8.4, Appendix B "Distance sales")."""
        from lexware.simulator.seed import build_tenant

        tenant = build_tenant(
            mode,
            seed_number=self.seed_number if seed_number is None else seed_number,
            now=self.now(),
            size=size or self.scale_size,
            contacts=contacts
            if contacts is not None
            else (self.scale_contacts if size is None else None),
            salt=key_fingerprint(api_key),
        )
        principle = distance_sales_principle or self.distance_sales_principle
        if principle is not None:
            if principle not in DISTANCE_SALES_PRINCIPLES:
                raise ValueError(
                    f"distanceSalesPrinciple must be one of {', '.join(DISTANCE_SALES_PRINCIPLES)}"
                )
            tenant.profile["distanceSalesPrinciple"] = principle
        with self._tenants_lock:
            self.tenants[api_key] = tenant
        return tenant

    def reset(self, api_key: str | None = None) -> None:
        with self._tenants_lock:
            if api_key is None:
                self.tenants.clear()
                self.scheduler.clear()
                self.limiter.reset()
                self.faults.clear()
                self.clock_offset = timedelta(0)
            else:
                self.tenants.pop(api_key, None)
                self.limiter.reset(api_key)
                self.faults.clear(api_key)

    def emit(self, tenant: Tenant, event_type: str, resource_id: str) -> int:
        """Fire `event_type` for `resource_id` to every matching subscription of the tenant."""
        return self.webhooks.emit(tenant, event_type, resource_id, self.now())

    def flush_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait until every queued/scheduled delivery (and file processing) has finished."""
        return self.scheduler.wait_idle(timeout)

    def public_key_pem(self) -> bytes:
        return self.webhooks.signer.public_pem()

    def close(self) -> None:
        if self.state_file:
            from lexware.simulator.persistence import save_state

            save_state(self, self.state_file)
        self.scheduler.stop()

    # -- WSGI --------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        req = Request.from_environ(environ)
        declared = str(environ.get("CONTENT_LENGTH") or "0")
        if declared.isdigit() and len(req.body) < int(declared):
            # The client went away while sending (a worker killed mid-upload): like Lexware's
            # gateway, which only forwards a whole request, nothing is executed. Logged with
            # status 0 and `incomplete`, so a test can tell it from a request that was run.
            self._log(
                header_fingerprint(req.headers.get("authorization")),
                req,
                0,
                time.time(),
                incomplete=True,
            )
            raise DropConnection(req.path)
        if req.path.startswith("/_simulator/") or req.path == "/_simulator":
            from lexware.simulator.control import handle_control

            response = handle_control(self, req)
        else:
            response = self.handle(req)
        body = b"" if req.method == "HEAD" else response.body
        headers = [*response.headers, ("Content-Length", str(len(body)))]
        start_response(f"{response.status} {STATUS_TEXT.get(response.status, 'Status')}", headers)
        return [body]

    def handle(self, req: Request) -> Response:
        api_key = bearer_key(req.headers.get("authorization"))
        fingerprint = header_fingerprint(req.headers.get("authorization"))
        arrived = time.time()  # logged as the arrival time: the moment the token bucket is asked
        status = 0
        try:
            response = self._dispatch(req, api_key)
            status = response.status
            return response
        except DropConnection:
            status = 0
            raise
        finally:
            self._log(fingerprint, req, status, arrived)

    def _dispatch(self, req: Request, api_key: str | None) -> Response:
        route, params, path_known = router.match(req.method, req.path)
        not_found = measured_not_found(req.method, req.path)
        if not_found:
            route = None
        elif route is None and not path_known:
            if self.unknown_route_status == 403:
                return unknown_route(req.headers.get("authorization"))
            not_found = True
        if not api_key or (self.api_keys is not None and api_key not in self.api_keys):
            return Response.json(401, {"message": "Unauthorized"})
        if not self.limiter.try_acquire(api_key):
            return Response.json(429, {"message": self.rate_limit_body})
        faults = {fault.kind: fault for fault in self.faults.take(api_key, req.method, req.path)}
        if "drop" in faults:
            raise DropConnection(req.path)
        if "slow" in faults:
            time.sleep(faults["slow"].delay)
        if "429" in faults:
            return Response.json(429, {"message": self.rate_limit_body})
        if "500" in faults:
            return Response.json(500, {"message": "Internal server error or rate limit exceeded"})
        if "503" in faults:
            return Response.json(503, {"message": "Service Unavailable"})
        if "406" in faults:
            return regular(
                406, req, "Document of a draft voucher cannot be rendered", now=self.now()
            ).response
        if "409" in faults:
            return regular(
                409, req, "Cannot render a document for a voucher in status 'draft'", now=self.now()
            ).response
        tenant = self.tenant_for_key(api_key)
        if not_found:
            return regular(404, req, "Not Found", now=self.now()).response
        if route is None:
            return regular(
                405, req, f"Request method '{req.method}' is not supported", now=self.now()
            ).response
        if req.method in ("POST", "PUT"):
            content_type = req.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != route.accepts:
                return regular(
                    415,
                    req,
                    f"Content-Type '{content_type or 'none'}' is not supported",
                    now=self.now(),
                ).response
        req.path_params = params
        response = self._run_handler(route, tenant, req, params)
        if "504" in faults:
            return Response.json(504, {"message": "Endpoint request timed out"})
        return response

    def _run_handler(
        self, route: Route, tenant: Tenant, req: Request, params: dict[str, str]
    ) -> Response:
        ctx = Context(self, tenant)
        try:
            with tenant.lock:
                return route.handler(ctx, req, **params)
        except SimError as error:
            return error.response
        except Exception:  # an unexpected bug answers like Lexware's 500, and is printed
            traceback.print_exc(file=sys.stderr)
            return Response.json(500, {"message": None})

    def _log(
        self,
        fingerprint: str | None,
        req: Request,
        status: int,
        wall: float,
        *,
        incomplete: bool = False,
    ) -> None:
        entry: dict[str, Any] = {
            "time": format_datetime(datetime.fromtimestamp(wall, UTC)),
            "timestamp": wall,
            "key": fingerprint,
            "method": req.method,
            "path": req.path,
            "status": status,
            # Time the simulator took to answer (arrival → response built), for benchmarks.
            "seconds": round(time.time() - wall, 4),
        }
        if incomplete:
            entry["incomplete"] = True
        with self._log_lock:
            self.request_log.append(entry)

    def requests_since(
        self, since: float | None = None, key: str | None = None
    ) -> list[dict[str, Any]]:
        with self._log_lock:
            entries = list(self.request_log)
        return [
            e
            for e in entries
            if (since is None or e["timestamp"] >= since) and (key is None or e["key"] == key)
        ]
