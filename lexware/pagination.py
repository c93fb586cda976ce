"""Paging helpers for the paged endpoints of lexware-api.md §4.

Pages are 0-based; ``size`` is at most 250; the last page is recognised by ``last`` (or
``number + 1 >= totalPages`` when ``last`` is missing, or an empty page). One query can never
see more than 10,000 rows (the search window); the voucherlist works around that by splitting
its date range (see :mod:`lexware.resources.voucherlist`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from lexware.errors import InvalidRequestError

__all__ = [
    "MAX_PAGE_SIZE",
    "SEARCH_WINDOW",
    "check_page_args",
    "iter_page_payloads",
    "page_is_last",
]

MAX_PAGE_SIZE = 250
SEARCH_WINDOW = 10_000

T = TypeVar("T")


def check_page_args(page: int, size: int) -> None:
    if page < 0:
        raise InvalidRequestError("page must be 0 or greater")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise InvalidRequestError(f"size must be between 1 and {MAX_PAGE_SIZE}")


def page_is_last(payload: Any) -> bool:
    """Whether no further page should be requested after this raw page envelope."""
    if not isinstance(payload, dict):
        return True
    content = payload.get("content")
    if not content:
        return True
    last = payload.get("last")
    if isinstance(last, bool):
        return last
    total_pages, number = payload.get("totalPages"), payload.get("number")
    if isinstance(total_pages, int) and isinstance(number, int):
        return number + 1 >= total_pages
    return False


def iter_page_payloads(
    fetch: Callable[[int], dict[str, Any]], *, start_page: int = 0, max_pages: int | None = None
) -> Iterator[dict[str, Any]]:
    """Yield raw page envelopes from ``fetch(page_number)`` until the last page.

    ``max_pages`` bounds the walk (the search window allows 10,000 / size pages).
    """
    page_number = start_page
    fetched = 0
    while True:
        payload = fetch(page_number)
        yield payload
        fetched += 1
        if page_is_last(payload) or (max_pages is not None and fetched >= max_pages):
            return
        page_number += 1


def iter_items(
    fetch: Callable[[int], dict[str, Any]], parse: Callable[[Any], T], **kwargs: Any
) -> Iterator[T]:
    """Every item of every page, parsed with ``parse``."""
    for payload in iter_page_payloads(fetch, **kwargs):
        for item in payload.get("content") or []:
            yield parse(item)
