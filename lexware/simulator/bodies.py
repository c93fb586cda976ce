"""Helpers for handlers: parse a JSON body, collect validation problems, look records up.

Problems are collected as (field path, key, message) and raised together as one 406 in the
endpoint family's shape (errors.validation), so a client sees every field error at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from lexware.simulator.errors import SimError, legacy, regular, validation
from lexware.simulator.routing import Context, Request


def json_body(ctx: Context, req: Request, family: str) -> dict[str, Any]:
    """The body as a JSON object; malformed JSON or a non-object → 400 in the family's shape."""
    try:
        data = req.json()
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        if family == "legacy":
            raise legacy(
                400,
                [{"i18nKey": "bad_request_error", "source": "body", "type": "bad_request_error"}],
            )
        raise regular(400, req, "Malformed JSON request body", now=ctx.now())
    return data


def not_found(ctx: Context, req: Request, family: str) -> SimError:
    if family == "legacy":
        return legacy(404, [{"i18nKey": "not_found", "source": None, "type": "not_found_error"}])
    return regular(404, req, "Resource not found", now=ctx.now())


def bad_request(
    ctx: Context, req: Request, family: str, source: str, message: str | None = None
) -> SimError:
    if family == "legacy":
        return legacy(
            400, [{"i18nKey": "bad_request_error", "source": source, "type": "bad_request_error"}]
        )
    return regular(400, req, message or source, now=ctx.now())


class Problems:
    def __init__(self, ctx: Context, req: Request, family: str) -> None:
        self.ctx = ctx
        self.req = req
        self.family = family
        self.items: list[tuple[str, str, str]] = []

    def add(self, field: str, key: str, message: str) -> None:
        self.items.append((field, key, message))

    def missing(self, field: str) -> None:
        key = "missing_entity" if self.family == "legacy" else "NOTNULL"
        self.add(field, key, "darf nicht leer sein")

    def invalid(self, field: str, message: str = "ungültiger Wert") -> None:
        key = "invalid_value" if self.family == "legacy" else "INVALID"
        self.add(field, key, message)

    def raise_if_any(self) -> None:
        if self.items:
            raise validation(self.family, self.req, self.items, now=self.ctx.now())


def require_version(
    body: dict[str, Any],
    stored: dict[str, Any],
    problems: Problems,
    *,
    stale: Callable[[], SimError],
) -> None:
    """A PUT carries the stored version (§3): missing → 406 in the family's shape; a stale one
    → `stale()`, whose status and shape differ per resource (Appendix A)."""
    if not isinstance(body.get("version"), int):
        problems.missing("version")
        problems.raise_if_any()
    if body["version"] != stored["version"]:
        raise stale()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def decimals(value: Any) -> int | None:
    """Number of decimal places of a JSON number (None if not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    except InvalidOperation:
        return None
    return max(0, -exponent) if isinstance(exponent, int) else None


def to_cents(value: Any) -> int:
    return int((Decimal(repr(value)) * 100).to_integral_value())


def unescape_filter(value: str) -> str:
    """Undo the HTML escaping of `&`, `<`, `>` the docs require for search strings (§1.3)."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def like_pattern(value: str) -> re.Pattern[str]:
    """SQL-LIKE substring match (§5.5): `_` one char, `%` any run, backslash escapes."""
    parts: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    if escaped:
        parts.append(re.escape("\\"))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def split_list(value: str) -> list[str]:
    """A comma list as real clients send it: "a,b" and "a, b" (Appendix A)."""
    return [part.strip() for part in value.split(",")]
