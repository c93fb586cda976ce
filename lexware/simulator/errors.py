"""The three error body shapes of lexware-api.md §2.1, raised by handlers as SimError."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from lexware.simulator.routing import Request, Response

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class SimError(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def gateway(status: int, message: str | None) -> SimError:
    """Shape (a): gateway, auth and connection errors."""
    return SimError(Response.json(status, {"message": message}))


def legacy(status: int, issues: list[dict[str, Any]]) -> SimError:
    """Shape (b): IssueList. Each issue: i18nKey, source, type (+ optional additionalData/args)."""
    full = [
        {
            "i18nKey": issue.get("i18nKey"),
            "source": issue.get("source"),
            "type": issue.get("type", "validation_failure"),
            "additionalData": issue.get("additionalData"),
            "args": issue.get("args"),
        }
        for issue in issues
    ]
    return SimError(Response.json(status, {"IssueList": full}))


def regular(
    status: int,
    req: Request,
    message: str,
    details: list[dict[str, Any]] | None = None,
    *,
    now: datetime | None = None,
) -> SimError:
    """Shape (c): the regular error object. Each detail: violation, field, message."""
    from lexware.simulator.timefmt import format_datetime

    body: dict[str, Any] = {
        "timestamp": format_datetime(now) if now else None,
        "status": status,
        "error": REASONS.get(status, "Error"),
        "path": req.path,
        "traceId": secrets.token_hex(8),
        "message": message,
    }
    if details is not None:
        body["details"] = details
    return SimError(Response.json(status, body))


def validation(
    family: str,
    req: Request,
    problems: list[tuple[str, str, str]],
    *,
    status: int = 406,
    now: datetime | None = None,
) -> SimError:
    """A validation failure in the family's shape. problems: (field path, violation/key, message).

    For the legacy family the violation is used as i18nKey (e.g. "missing_entity").
    """
    if family == "legacy":
        return legacy(
            status,
            [
                {"i18nKey": violation, "source": field, "type": "validation_failure"}
                for field, violation, _ in problems
            ],
        )
    return regular(
        status,
        req,
        "Validation failed for request. Please see details list for specific causes.",
        [
            {"violation": violation, "field": field, "message": message}
            for field, violation, message in problems
        ],
        now=now,
    )
