"""The page envelope of lexware-api.md §4 (and Appendix A), shared by every paged endpoint.

Callers filter and sort their items first, then hand them to `paginate`, which reads `page`
and `size` from the query, applies the endpoint's size limits and the 10,000-result search
window, and renders only the requested slice (so a 100,000-voucher tenant costs one slice of
`transform` calls, not 100,000).

Choices where the reference is silent (README "Paging"):
* `page`/`size` that are not integers, negative, or out of range are silently replaced
  (Appendix A): size above the ceiling → the ceiling, below the floor → the floor (articles
  have a floor of 25), unparsable → the default; a negative/unparsable page → 0. Except where
  Appendix B measured a refusal (voucherlist, contacts): a size above the ceiling → 400 with
  the measured text (`size_error`).
* A page beyond the last one answers an empty `content` (Spring Data behaviour, which the
  envelope field names betray).
* `totalElements` is capped at 10,000; a page whose first element lies beyond the window is
  answered 400 "Maximum search window size exceeded" (§4) in the endpoint's error shape.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from lexware.simulator.errors import SimError, legacy, regular
from lexware.simulator.routing import Request, Response
from lexware.simulator.state import public

SEARCH_WINDOW = 10_000


def _int_param(req: Request, name: str) -> int | None:
    value = req.param(name)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def too_large(req: Request, family: str, message: str) -> SimError:
    """Appendix B: a page size above the ceiling refused with the measured text (legacy family:
    IssueList `bad_request_error` on `size` plus the text as `message`)."""
    if family == "legacy":
        error = legacy(
            400, [{"i18nKey": "bad_request_error", "source": "size", "type": "bad_request_error"}]
        )
        body = json.loads(error.response.body)
        body["message"] = message
        error.response.body = json.dumps(body).encode()
        return error
    return regular(400, req, message)


def page_and_size(
    req: Request,
    *,
    default_size: int = 25,
    max_size: int = 250,
    min_size: int = 1,
    size_error: str | None = None,
    family: str = "regular",
) -> tuple[int, int]:
    """(page, size) after the silent replacement rules above; with `size_error` a size above
    `max_size` is refused (400) with that text instead of being replaced (Appendix B)."""
    size = _int_param(req, "size")
    if size is None:
        size = default_size
    if size_error is not None and size > max_size:
        raise too_large(req, family, size_error)
    size = max(min_size, min(max_size, size))
    page = _int_param(req, "page")
    if page is None or page < 0:
        page = 0
    return page, size


def sort_envelope(sort: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "property": prop,
            "direction": direction.upper(),
            "ignoreCase": False,
            "nullHandling": "NATIVE",
            "ascending": direction.upper() == "ASC",
        }
        for prop, direction in sort
    ]


def paginate(
    req: Request,
    items: Sequence[Any],
    *,
    default_size: int = 25,
    max_size: int = 250,
    min_size: int = 1,
    sort: Sequence[tuple[str, str]] | None = None,
    family: str = "regular",
    transform: Callable[[Any], Any] | None = None,
    size_error: str | None = None,
) -> Response:
    """A 200 page envelope over already filtered and sorted `items`.

    `sort` lists (property, "ASC"|"DESC") pairs shown in the envelope's `sort` (omitted when
    None, as in the vouchers sample). `transform` renders one item (default: `public`, i.e.
    the stored dict without private "_" keys). `family` picks the error shape for the
    search-window error ("legacy" or "regular").
    """
    page, size = page_and_size(
        req,
        default_size=default_size,
        max_size=max_size,
        min_size=min_size,
        size_error=size_error,
        family=family,
    )
    total = min(len(items), SEARCH_WINDOW)
    start = page * size
    if start >= SEARCH_WINDOW:
        message = "Maximum search window size exceeded"
        if family == "legacy":
            raise legacy(
                400,
                [{"i18nKey": "bad_request_error", "source": message, "type": "bad_request_error"}],
            )
        raise regular(400, req, message)
    end = min(start + size, total)
    render = transform or public
    content = [render(item) for item in items[start:end]] if start < total else []
    total_pages = math.ceil(total / size) if total else 0
    body: dict[str, Any] = {
        "content": content,
        "first": page == 0,
        "last": page >= total_pages - 1,
        "totalPages": total_pages,
        "totalElements": total,
        "numberOfElements": len(content),
        "size": size,
        "number": page,
    }
    if sort is not None:
        body["sort"] = sort_envelope(sort)
    return Response.json(200, body)
