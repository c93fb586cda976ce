"""What a matched row changes on the existing record: the `data` of contact_update /
article_update (portal/operations/edits.py), built when the row is fed, from the row's cells and
the mirror record at the base version.

The edit merge sets each leaf path of `data` on Lexware's current record; nested objects
("company", "person", "price", "xRechnung") are merged key by key, but lists
("addresses.billing", "emailAddresses.business", "company.contactPersons") and "roles" are one
value each and replace what is there. So, per column (README "Import and export"):

- an empty cell sets nothing: the field keeps Lexware's value;
- scalar fields inside an object (name, tax number, VAT id, note, Leitweg-ID, title, unit,
  description, GTIN, the price's amount, tax rate and leading price) are set one by one;
- a list gets the row's value as its FIRST entry, the record's other entries are kept (the
  second e-mail address, a second phone number); an address merges the row's filled parts into
  the record's first address of that type;
- the contact person columns change the primary contact person, the others are kept;
- roles are never taken away and keep what Lexware assigned (the customer and vendor numbers):
  a role the row turns on is added, "nein" removes nothing;
- the match column (customer number, article number) and the vendor number are Lexware's and
  are never sent.
"""

from __future__ import annotations

import copy
from decimal import InvalidOperation
from typing import Any

from portal.imports.columns import ARTICLES, CONTACTS, LEADING_PRICES
from portal.imports.rows import german_decimal

_TRUE = {"ja", "j", "x", "1", "yes", "y", "true", "wahr"}


def _first_replaced(existing: Any, value: Any) -> list[Any]:
    """The row's value as the first entry of the record's list; the other entries stay."""
    rest = list(existing[1:]) if isinstance(existing, list) else []
    return [value, *rest]


def _merged_address(existing: Any, cells: dict[str, str], prefix: str) -> dict[str, Any] | None:
    parts = {
        "street": cells.get(f"{prefix}street", ""),
        "supplement": cells.get(f"{prefix}supplement", "") if not prefix else "",
        "zip": cells.get(f"{prefix}zip", ""),
        "city": cells.get(f"{prefix}city", ""),
        "countryCode": cells.get(f"{prefix}country_code", "").upper(),
    }
    filled = {key: value for key, value in parts.items() if value}
    if not filled:
        return None
    first = existing[0] if isinstance(existing, list) and existing else {}
    address = {**copy.deepcopy(first), **filled}
    address.setdefault("countryCode", "DE")
    return address


def contact_update_data(
    *, cells: dict[str, str], created: dict[str, Any], record: dict[str, Any]
) -> dict[str, Any]:
    """`created` is the row as a new contact (rows.contact_from_cells, already checked);
    `record` the mirror's copy of the matched contact."""
    data: dict[str, Any] = {}
    roles = dict(record.get("roles") or {})
    wanted = [r for r in ("customer", "vendor") if cells.get(f"is_{r}", "").casefold() in _TRUE]
    added = [role for role in wanted if role not in roles]
    if added:
        data["roles"] = {**copy.deepcopy(roles), **{role: {} for role in added}}
    if "company" in created:
        company = {k: v for k, v in created["company"].items() if k != "contactPersons"}
        people = (record.get("company") or {}).get("contactPersons") or []
        person = {
            key: cells[column]
            for key, column in (
                ("salutation", "salutation"),
                ("firstName", "first_name"),
                ("lastName", "last_name"),
            )
            if cells.get(column)
        }
        if person:
            at = next((i for i, p in enumerate(people) if p.get("primary")), 0)
            people = copy.deepcopy(list(people))
            if people:
                people[at] = {**people[at], **person}
            else:
                people = [{**person, "primary": True}]
            company["contactPersons"] = people
        data["company"] = company
    elif created.get("person"):
        data["person"] = dict(created["person"])
    addresses = record.get("addresses") or {}
    for kind, prefix in (("billing", ""), ("shipping", "shipping_")):
        address = _merged_address(addresses.get(kind), cells, prefix)
        if address is not None:
            data.setdefault("addresses", {})[kind] = _first_replaced(addresses.get(kind), address)
    lists = (
        ("emailAddresses", (("email", "business"),)),
        ("phoneNumbers", (("phone", "business"), ("mobile", "mobile"), ("fax", "fax"))),
    )
    for group, columns in lists:
        existing = record.get(group) or {}
        for column, kind in columns:
            if cells.get(column):
                data.setdefault(group, {})[kind] = _first_replaced(
                    existing.get(kind), cells[column]
                )
    for key in ("xRechnung", "note"):
        if created.get(key):
            data[key] = copy.deepcopy(created[key])
    return data


def article_update_data(
    *, cells: dict[str, str], created: dict[str, Any], record: dict[str, Any]
) -> dict[str, Any]:
    """Title, type and unit are required in every row; the price sets only what the row fills:
    the leading price from its column, else from the one amount filled, else the record's."""
    data: dict[str, Any] = {
        key: created[key] for key in ("title", "type", "unitName") if created.get(key)
    }
    for key in ("description", "note", "gtin"):
        if created.get(key):
            data[key] = created[key]
    price: dict[str, Any] = {}
    current = record.get("price") or {}
    if cells.get("leading_price"):
        leading = created.get("price", {}).get("leadingPrice") or "NET"
    elif cells.get("net_price") and not cells.get("gross_price"):
        leading = "NET"
    elif cells.get("gross_price") and not cells.get("net_price"):
        leading = "GROSS"
    else:
        leading = current.get("leadingPrice") or "NET"
    if leading not in LEADING_PRICES:
        leading = "NET"
    column = "net_price" if leading == "NET" else "gross_price"
    if cells.get(column):
        try:
            amount = german_decimal(cells[column])
        except InvalidOperation:  # checked in the preview; a leading price it did not check
            amount = None
        if amount is not None:
            price["leadingPrice"] = leading
            price["netPrice" if leading == "NET" else "grossPrice"] = float(amount)
    if cells.get("tax_rate") and "taxRate" in created.get("price", {}):
        price["taxRate"] = created["price"]["taxRate"]
    if price:
        data["price"] = price
    return data


UPDATE_DATA = {CONTACTS: contact_update_data, ARTICLES: article_update_data}
