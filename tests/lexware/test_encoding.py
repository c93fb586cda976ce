"""Search-string encoding (§1.3) and wildcard escaping (§5.5)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from lexware._http import encode_query
from lexware.encoding import (
    escape_like_wildcards,
    html_escape_search,
    html_unescape_search,
    literal_contact_search,
    url_decode_search,
    url_encode_search,
)

WIRE = re.compile(r"^(?:[A-Za-z0-9_.~-]|%[0-9A-F]{2})*$")


def test_faq_example() -> None:
    assert url_encode_search("johnson & partner") == "johnson%20%26amp%3B%20partner"
    assert encode_query({"name": html_escape_search("johnson & partner")}) == (
        "name=johnson%20%26amp%3B%20partner"
    )


def test_html_escape_touches_only_ampersand_and_angle_brackets() -> None:
    assert html_escape_search("<a href=\"x\">'&amp;'</a>") == (
        "&lt;a href=\"x\"&gt;'&amp;amp;'&lt;/a&gt;"
    )


def test_wildcards_are_escaped_for_literal_search() -> None:
    assert escape_like_wildcards("n_d_e%") == "n\\_d\\_e\\%"
    assert escape_like_wildcards("a\\_") == "a\\\\\\_"
    assert literal_contact_search("50% & _") == "50\\% &amp; \\_"


@given(st.text())
def test_encoding_round_trips(value: str) -> None:
    assert url_decode_search(url_encode_search(value)) == value
    assert html_unescape_search(html_escape_search(value)) == value


@given(st.text())
def test_wire_form_is_only_unreserved_characters_and_percent_escapes(value: str) -> None:
    wire = url_encode_search(value)
    assert WIRE.match(wire)
    decoded = unquote(wire)
    # After URL-decoding, no raw < or > remains and every & starts one of our three entities.
    assert "<" not in decoded and ">" not in decoded
    assert all(
        decoded.startswith(("&amp;", "&lt;", "&gt;"), i)
        for i, ch in enumerate(decoded)
        if ch == "&"
    )


@given(st.text())
def test_escaped_wildcards_leave_no_bare_wildcard(value: str) -> None:
    escaped = escape_like_wildcards(value)
    # Scanning left to right, every _ or % is preceded by an escaping backslash.
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert i + 1 < len(escaped) and escaped[i + 1] in "\\_%"
            i += 2
            continue
        assert escaped[i] not in "_%"
        i += 1


@given(st.dictionaries(st.text(min_size=1), st.text()))
def test_encode_query_round_trips_every_parameter(params: dict[str, str]) -> None:
    query = encode_query(params)
    pairs = [part.split("=", 1) for part in query.split("&")] if query else []
    assert {unquote(k): unquote(v) for k, v in pairs} == params
