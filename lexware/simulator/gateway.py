"""What the API gateway in front of Lexware's handlers answers on its own (lexware-api.md §1,
§2.1, Appendix B "Paging and routes"): routes that do not exist (403 with the gateway's body, or
the 404 measured for some), the Bearer key of a request and its fingerprint for the request
log, and the HTTP status lines.
"""

from __future__ import annotations

import re

from lexware.ratelimit import key_fingerprint
from lexware.simulator.errors import REASONS
from lexware.simulator.routing import Response

SALES_ITEM = re.compile(
    r"^/v1/(invoices|quotations|credit-notes|order-confirmations|delivery-notes|dunnings|"
    r"down-payment-invoices)/[^/]+/?$"
)
_SALES_KINDS = "invoices|quotations|credit-notes|order-confirmations|delivery-notes|dunnings|down-payment-invoices"
# Routes that do not exist and were measured to answer 404, not §2.1's 403 gateway body
# (Appendix B "Paging and routes"; PUT on a sales voucher: §2.1 note). (method or None for any,
# path pattern). Sales collections/DELETE other than invoices/quotations follow by analogy.
MEASURED_NOT_FOUND: tuple[tuple[str | None, re.Pattern[str]], ...] = (
    (None, re.compile(r"^/v1/(bank-accounts|transactions)(/.*)?$")),
    ("GET", re.compile(rf"^/v1/({_SALES_KINDS}|files)/?$")),
    ("PUT", SALES_ITEM),
    ("DELETE", SALES_ITEM),
    ("DELETE", re.compile(r"^/v1/(contacts|vouchers)/[^/]+/?$")),
    (None, re.compile(r"^/v1/vouchers/[^/]+/(document|file)/?$")),
    ("OPTIONS", re.compile(r"^/v1(/.*)?$")),
)
UNKNOWN_ROUTE_STATUSES = (403, 404)


def measured_not_found(method: str, path: str) -> bool:
    """Appendix B: this method/path does not exist and answers 404."""
    return any(
        (wanted is None or wanted == method) and pattern.match(path)
        for wanted, pattern in MEASURED_NOT_FOUND
    )


# The status line's text: the error reasons the simulator's error bodies use, plus successes.
STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    **REASONS,
    501: "Not Implemented",
}


def bearer_key(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def unknown_route(authorization: str | None) -> Response:
    """AWS API Gateway's answer for a resource/method it does not know (§2.1)."""
    if not authorization:
        return Response.json(403, {"message": "Missing Authentication Token"})
    token = authorization.strip().partition(" ")[2].strip()
    message = (
        f"'{token}' not a valid key=value pair (missing equal-sign) in Authorization header: "
        f"'{authorization.strip()}'."
    )
    return Response.json(403, {"message": message})


def header_fingerprint(header: str | None) -> str | None:
    api_key = bearer_key(header)
    return key_fingerprint(api_key) if api_key else None
