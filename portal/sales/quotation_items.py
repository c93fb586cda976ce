"""Quotation items (lexware-api.md §5.20): optional items and alternative sub items.

The editor keeps one flat row per item, each with a `position`: a regular or an optional main
item, or an alternative to the main item above it. Lexware wants the alternatives nested as the
main item's `subItems` (all `alternative: true`; `optional` only on main items; one level).
`nest` builds that body and remembers which row each item came from, so Lexware's errors at
`lineItems[2].subItems[0].name` land on the right row; `flatten` turns a stored body back into
rows. Optional and alternative items get a line amount but do not count into the totals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.sales.lines import ALTERNATIVE, MAIN, OPTIONAL, TEXT

_PATH = re.compile(r"^lineItems\[(\d+)\](?:\.subItems\[(\d+)\])?")


def counted(position: str | None) -> bool:
    """Whether a row of this position counts into the totals (§5.20)."""
    return (position or MAIN) == MAIN


def nest(items: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Flat items (alternatives marked `alternative: true`) → Lexware's nested `lineItems`,
    and the row index of every body path ("lineItems[1]", "lineItems[1].subItems[0]")."""
    body: list[dict[str, Any]] = []
    rows: dict[str, int] = {}
    for row, item in enumerate(items):
        if item.get("alternative") and body:
            parent = body[-1]
            subs = parent.setdefault("subItems", [])
            rows[f"lineItems[{len(body) - 1}].subItems[{len(subs)}]"] = row
            subs.append(item)
        else:
            rows[f"lineItems[{len(body)}]"] = row
            body.append(item)
    return body, rows


def flatten(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Lexware's nested items → one item per row, each main item followed by its alternatives."""
    flat: list[dict[str, Any]] = []
    for item in items:
        main = {k: v for k, v in item.items() if k != "subItems"}
        flat.append(main)
        flat.extend(
            {**sub, "alternative": True} for sub in item.get("subItems") or [] if sub is not None
        )
    return flat


def row_paths(field_errors: Mapping[str, str], rows: Mapping[str, int]) -> dict[str, str]:
    """Lexware's error paths with the nested item addresses replaced by the flat row's
    ("lineItems[1].subItems[0].name" → "lineItems[3].name")."""
    mapped: dict[str, str] = {}
    for path, text in field_errors.items():
        match = _PATH.match(path)
        row = rows.get(match.group(0)) if match else None
        if match and row is not None:
            path = f"lineItems[{row}]{path[match.end() :]}"
        mapped[path] = text
    return mapped


def check_positions(rows: Sequence[forms.Form], *, quotation: bool) -> None:
    """Row errors for positions Lexware refuses: optional and alternative items only on
    quotations, not on text lines, and an alternative only below a priced item (or below
    another alternative of it)."""
    previous: str | None = None  # the position of the row above, None: none or a text line
    for form in rows:
        position = str(form.data.get(form.add_prefix("position")) or MAIN)
        is_text = form.data.get(form.add_prefix("type")) == TEXT
        if position not in (MAIN, OPTIONAL, ALTERNATIVE):
            previous = None if is_text else MAIN
            continue  # the field's own validation names the bad choice
        if position != MAIN and not quotation:
            form.add_error("position", _("Only quotations have optional and alternative items."))
        elif position != MAIN and is_text:
            form.add_error("position", _("A text line cannot be optional or an alternative."))
        elif position == ALTERNATIVE and previous is None:
            form.add_error("position", _("An alternative needs a priced item directly above it."))
        previous = None if is_text else position
