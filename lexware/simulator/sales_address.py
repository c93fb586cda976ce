"""The address block of a sales voucher (lexware-api.md §5.1).

`resolve_address` fills a referenced contact's billing address (delivery notes: shipping
address), name and primary contact person, overridden by the fields sent along;
`contact_name` is the contact's display name (company name, else first and last name).
"""

from __future__ import annotations

from typing import Any

from lexware.simulator.state import Tenant


def contact_name(contact: dict[str, Any]) -> str:
    company = contact.get("company")
    if isinstance(company, dict) and company.get("name"):
        return str(company["name"])
    person = contact.get("person") or {}
    return " ".join(p for p in (person.get("firstName"), person.get("lastName")) if p)


def _contact_person(contact: dict[str, Any]) -> str | None:
    persons = (contact.get("company") or {}).get("contactPersons") or []
    primary = next((p for p in persons if p.get("primary")), None)
    if primary is None:
        return None
    return " ".join(
        p
        for p in (primary.get("salutation"), primary.get("firstName"), primary.get("lastName"))
        if p
    )


def resolve_address(kind: str, given: dict[str, Any], tenant: Tenant) -> dict[str, Any]:
    """§5.1: a referenced contact's billing (delivery notes: shipping) address, overridden by
    the fields sent along; a one-time address is taken as sent."""
    contact_id = given.get("contactId")
    if contact_id is None:
        return {
            k: given[k]
            for k in ("name", "supplement", "street", "city", "zip", "countryCode")
            if given.get(k)
        }
    contact = tenant.contacts[str(contact_id)]
    addresses = contact.get("addresses") or {}
    order = ("shipping", "billing") if kind == "deliverynote" else ("billing", "shipping")
    stored: dict[str, Any] = {}
    for key in order:
        if addresses.get(key):
            stored = dict(addresses[key][0])
            break
    address: dict[str, Any] = {"contactId": str(contact_id), "name": contact_name(contact)}
    for key in ("supplement", "street", "city", "zip", "countryCode"):
        if stored.get(key):
            address[key] = stored[key]
    for key in ("name", "supplement", "street", "city", "zip", "countryCode"):
        if given.get(key):
            address[key] = given[key]
    person = _contact_person(contact)
    if person:
        address["contactPerson"] = person
    return address
