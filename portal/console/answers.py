"""Lexware's answer as the console shows it: status, headers without secrets, the body as
indented JSON (or text), cut when huge. Kept in the operation's result, so only what may be
shown is ever stored."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# Never shown, whatever Lexware or a proxy sends: credentials and session material.
_SECRET_HEADER = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|www-authenticate)$"
    r"|token|secret|api-?key|session",
    re.IGNORECASE,
)
MAX_SHOWN = 100_000


def safe_headers(headers: Mapping[str, str] | Any) -> list[tuple[str, str]]:
    items = headers.items() if hasattr(headers, "items") else []
    return sorted(
        (str(name).lower(), str(value)[:300])
        for name, value in items
        if not _SECRET_HEADER.search(str(name))
    )


def pretty(body: Any) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False, sort_keys=False, default=str)


def _body_text(content: bytes, content_type: str) -> tuple[str, bool]:
    if not content:
        return "", False
    if "json" in content_type or content[:1] in (b"{", b"["):
        try:
            return pretty(json.loads(content)), True
        except ValueError:
            pass
    if content_type.startswith("text/") or "json" in content_type or "xml" in content_type:
        return content.decode("utf-8", "replace"), False
    return "", False


def answer(
    *,
    status: int,
    headers: Mapping[str, str] | Any = None,
    content: bytes = b"",
    body: Any = None,
    elapsed_ms: float | None = None,
) -> dict[str, Any]:
    """From the raw bytes of an answer (`content`) or an already parsed body (`body`, as an
    error carries it)."""
    content_type = ""
    if headers is not None and hasattr(headers, "get"):
        content_type = str(headers.get("content-type") or "").lower()
    if body is not None:
        text, is_json = (pretty(body), True) if not isinstance(body, str) else (body, False)
        size = len(text.encode())
    else:
        text, is_json = _body_text(content, content_type)
        size = len(content)
    binary = bool(content) and not text
    return {
        "status": status,
        "headers": safe_headers(headers or {}),
        "content_type": content_type,
        "size": size,
        "is_json": is_json,
        "binary": binary,
        "body": text[:MAX_SHOWN],
        "truncated": len(text) > MAX_SHOWN,
        "elapsed_ms": round(elapsed_ms) if elapsed_ms is not None else None,
    }
