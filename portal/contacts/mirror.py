"""Writes contacts (lexware-api.md §5.5) into the mirror; called by the sync and the handlers."""

from __future__ import annotations

from typing import Any

from portal.contacts.models import Contact
from portal.core.mirror import first_entry, mirror_columns, normalise_search
from portal.organizations.models import Organization


def contact_display_name(data: dict[str, Any]) -> str:
    company = data.get("company") or {}
    if company.get("name"):
        return str(company["name"])
    person = data.get("person") or {}
    return " ".join(part for part in (person.get("firstName"), person.get("lastName")) if part)


def upsert_contact(*, organization: Organization, data: dict[str, Any]) -> Contact:
    roles = data.get("roles") or {}
    customer, vendor = roles.get("customer"), roles.get("vendor")
    billing = ((data.get("addresses") or {}).get("billing") or [{}])[0] or {}
    emails = data.get("emailAddresses") or {}
    email = first_entry(emails, "business", "office", "private", "other")
    if not email:
        persons = (data.get("company") or {}).get("contactPersons") or []
        email = next((p.get("emailAddress") for p in persons if p.get("emailAddress")), "") or ""
    name = contact_display_name(data)
    customer_number = (customer or {}).get("number")
    vendor_number = (vendor or {}).get("number")
    contact, _ = Contact.objects.update_or_create(
        organization=organization,
        lexware_id=data["id"],
        defaults={
            **mirror_columns(data),
            "name": name[:300],
            "is_company": bool(data.get("company")),
            "is_customer": customer is not None,
            "is_vendor": vendor is not None,
            "customer_number": customer_number,
            "vendor_number": vendor_number,
            "email": email[:300],
            "phone": first_entry(
                data.get("phoneNumbers") or {}, "business", "office", "mobile", "private", "other"
            )[:100],
            "city": str(billing.get("city") or "")[:200],
            "country_code": str(billing.get("countryCode") or "")[:10],
            "archived": bool(data.get("archived")),
            "search_text": normalise_search(
                name, customer_number, vendor_number, email, billing.get("city")
            ),
        },
    )
    return contact
