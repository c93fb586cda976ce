"""Search-string encoding rules of lexware-api.md §1.3 and §5.5.

For the contact ``name``/``email`` filters, the voucherlist ``voucherNumber`` filter and the
deprecated ``GET /v1/vouchers?voucherNumber=`` the characters ``&``, ``<`` and ``>`` must be
HTML-escaped *before* URL-encoding; without it such searches silently find nothing. Example from
the FAQ: ``johnson & partner`` is sent as ``name=johnson%20%26amp%3B%20partner``.

The URL-encoding step is done once, for every query parameter, by the request loop
(:func:`lexware._http.encode_query`); this module provides the HTML step, the wildcard escape and
the complete encoding for tests and for callers building URLs by hand.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

__all__ = [
    "escape_like_wildcards",
    "html_escape_search",
    "html_unescape_search",
    "literal_contact_search",
    "url_encode_search",
]


def html_escape_search(value: str) -> str:
    """Escape exactly ``&``, ``<``, ``>`` (``&`` first, so no entity is escaped twice)."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_unescape_search(value: str) -> str:
    """Inverse of :func:`html_escape_search` (``&amp;`` last, for the same reason)."""
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape_like_wildcards(value: str) -> str:
    """Make ``_`` and ``%`` match literally in contact ``name``/``email`` filters (§5.5: they
    are SQL-like wildcards, escaped with a backslash). The backslash itself is escaped first."""
    return value.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")


def literal_contact_search(value: str) -> str:
    """User input → contact filter value matching the text literally (wildcards escaped, then
    HTML-escaped). The request loop adds the URL-encoding."""
    return html_escape_search(escape_like_wildcards(value))


def url_encode_search(value: str) -> str:
    """The complete wire form of a search value: HTML-escape, then URL-encode (space → %20)."""
    return quote(html_escape_search(value), safe="")


def url_decode_search(encoded: str) -> str:
    """Inverse of :func:`url_encode_search` (used by tests and the simulator's expectations)."""
    return html_unescape_search(unquote(encoded))


# Short name used by the portal's services.
escape_wildcards = escape_like_wildcards
