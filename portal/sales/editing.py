"""The editor's own actions, done on the server so they work without JavaScript: add, remove
and move rows, take a customer or an article from the mirror. Each takes what was posted and
gives back the data of the form to show next (never validated: the user is still typing)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.organizations.models import Organization
from portal.sales import customer_fill, selectors
from portal.sales.forms import GROSS, VAT_FREE_TYPES, DocumentForm, lines_data
from portal.sales.lines import (
    CUSTOM,
    LINE_FIELDS,
    MATERIAL,
    MAX_LINES,
    PREFIX,
    SERVICE,
    TEXT,
    blank_line,
    localized_number,
)
from portal.sales.types import SalesType

# The actions a submit button may name (`name="action" value="up:3"`).
SEND = "send"
# Finalize asks first (the check, with the totals); only the confirmed one is sent.
FINALIZE, FINALIZE_CONFIRMED = "finalize", "finalize-confirmed"
ROW_ACTIONS = ("remove", "up", "down")
# Park the input and create a new customer (customer_views.py).
NEW_CUSTOMER = "new-customer"


@dataclass
class EditorState:
    header: dict[str, str]
    lines: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> EditorState:
        header = {name: str(data.get(name, "") or "") for name in DocumentForm.base_fields}
        try:
            total = int(str(data.get(f"{PREFIX}-TOTAL_FORMS", "0")))
        except ValueError:
            total = 0
        lines = [
            {key: str(data.get(f"{PREFIX}-{index}-{key}", "") or "") for key in LINE_FIELDS}
            for index in range(max(0, min(total, MAX_LINES)))
        ]
        return cls(header=header, lines=lines)

    def as_data(self) -> dict[str, str]:
        return {**self.header, **lines_data(self.lines)}


def apply(
    state: EditorState, action: str, *, organization: Organization, sales_type: SalesType
) -> EditorState:
    verb, _sep, argument = action.partition(":")
    if verb == "add" and argument in (CUSTOM, TEXT) and len(state.lines) < MAX_LINES:
        state.lines.append(blank_line(argument))
    elif verb in ROW_ACTIONS:
        _move(state, verb, argument)
    elif verb == "customer":
        _take_customer(state, argument, organization=organization, sales_type=sales_type)
    elif verb == "one-time-address":
        customer_fill.clear_contact(state.header)
    elif verb == "article" and len(state.lines) < MAX_LINES:
        _take_article(state, argument, organization=organization)
    return state


def _move(state: EditorState, verb: str, argument: str) -> None:
    try:
        index = int(argument)
    except ValueError:
        return
    if not 0 <= index < len(state.lines):
        return
    if verb == "remove":
        del state.lines[index]
        if not state.lines:
            state.lines.append(blank_line())
        return
    other = index - 1 if verb == "up" else index + 1
    if 0 <= other < len(state.lines):
        state.lines[index], state.lines[other] = state.lines[other], state.lines[index]


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _take_customer(
    state: EditorState, argument: str, *, organization: Organization, sales_type: SalesType
) -> None:
    """The contact's name and address into the form (§5.1: delivery notes prefer the shipping
    address), and language, tax settings, payment terms and buyer reference (customer_fill)."""
    lexware_id = _uuid(argument)
    contact = lexware_id and selectors.customer(organization=organization, lexware_id=lexware_id)
    if not contact:
        return
    addresses = (contact.raw or {}).get("addresses") or {}
    preferred = (
        ("shipping", "billing") if sales_type.voucher_type == "deliverynote" else ("billing",)
    )
    address: dict[str, Any] = {}
    for kind in preferred:
        if addresses.get(kind):
            address = addresses[kind][0] or {}
            break
    state.header.update(
        contact_id=str(contact.lexware_id),
        customer_query="",
        address_name=contact.name,
        address_supplement=str(address.get("supplement") or ""),
        address_street=str(address.get("street") or ""),
        address_zip=str(address.get("zip") or ""),
        address_city=str(address.get("city") or ""),
        address_country=str(address.get("countryCode") or contact.country_code or "DE"),
    )
    customer_fill.fill_from_contact(
        state.header,
        state.lines,
        contact=contact,
        organization=organization,
        sales_type=sales_type,
    )


def _take_article(state: EditorState, argument: str, *, organization: Organization) -> None:
    """A line from the article: its type, name, description, unit, price and tax rate, all
    still editable. The price is the one that fits the document (gross for gross documents)."""
    lexware_id = _uuid(argument)
    article = lexware_id and selectors.article(organization=organization, lexware_id=lexware_id)
    if not article:
        return
    tax_type = state.header.get("tax_type") or "net"
    price = article.gross_price if tax_type == GROSS else article.net_price
    if price is None:
        price = article.net_price if tax_type == GROSS else article.gross_price
    rate = "0" if tax_type in VAT_FREE_TYPES else localized_number(article.tax_rate or 19)
    line = blank_line(SERVICE if article.type == "SERVICE" else MATERIAL)
    line.update(
        article_id=str(article.lexware_id),
        name=article.title,
        description=str((article.raw or {}).get("description") or ""),
        quantity="1",
        unit_name=article.unit_name,
        unit_price=localized_number(price),
        tax_rate=rate if rate in ("0", "7", "19") else "19",
    )
    state.header["article_query"] = ""
    if len(state.lines) == 1 and not state.lines[0].get("name"):
        state.lines[0] = line  # the empty first row is replaced, not kept above the article
    else:
        state.lines.append(line)
