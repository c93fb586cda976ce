"""Reads for rendering: the letterhead, a job by its public id, the latest preview of a
document, a customer's open items. Mirror and database only; never Lexware."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.shortcuts import get_object_or_404

from portal.contacts.models import Contact
from portal.organizations.models import LexwareConnection, Organization
from portal.receivables.selectors import berlin_today, contact_open_items
from portal.reference.models import ReferenceItem
from portal.rendering.models import RenderJob, RenderKind


def profile(*, organization: Organization) -> dict[str, Any]:
    """Lexware's profile (§5.19) as the last sync stored it, else as the connection saw it."""
    item = ReferenceItem.objects.filter(
        organization=organization, kind=ReferenceItem.Kind.PROFILE
    ).first()
    if item is not None and isinstance(item.raw, dict) and item.raw:
        return dict(item.raw)
    connection = LexwareConnection.objects.filter(organization=organization).first()
    return dict(connection.profile or {}) if connection is not None else {}


def letterhead(*, organization: Organization) -> dict[str, Any]:
    """What previews and statements print at the top and in the footer. The organization's
    own entries (settings page, "Briefkopf") come first; where it left a part empty, the
    profile's value is used if Lexware gives one (its public profile has the company name
    only, §5.19). The address counts as one part: street, postcode and city never mix sources.
    The bank account is the organization's (Lexware has none to give)."""
    data = profile(organization=organization)
    found = data.get("address")
    given: dict[str, Any] = found if isinstance(found, dict) else {}
    if organization.address_street or organization.address_city:
        street, postcode, city = (
            organization.address_street,
            organization.address_zip,
            organization.address_city,
        )
        country = organization.address_country or "DE"
    else:
        street, postcode, city = (str(given.get(k) or "") for k in ("street", "zip", "city"))
        country = str(given.get("countryCode") or "DE")
    town = " ".join(part for part in (postcode, city) if part)
    return {
        "company": str(data.get("companyName") or organization.name),
        "address_lines": [line for line in (street, town) if line],
        "country": country,
        "tax_number": organization.tax_number or str(data.get("taxNumber") or ""),
        "vat_id": organization.vat_id or str(data.get("vatRegistrationId") or ""),
        "managing_directors": organization.managing_directors,
        "commercial_register": organization.commercial_register,
        "bank": {
            "holder": organization.bank_account_holder,
            "iban": organization.iban,
            "bic": organization.bic,
            "bank_name": organization.bank_name,
        },
    }


def render_job(*, organization: Organization, code: UUID) -> RenderJob:
    return get_object_or_404(RenderJob, organization=organization, code=code)


def latest_preview(*, organization: Organization, document_lexware_id: UUID) -> RenderJob | None:
    return (
        RenderJob.objects.filter(
            organization=organization,
            kind=RenderKind.PREVIEW,
            document_lexware_id=document_lexware_id,
        )
        .order_by("-created_at")
        .first()
    )


def latest_statement(*, organization: Organization, contact_lexware_id: UUID) -> RenderJob | None:
    return (
        RenderJob.objects.filter(
            organization=organization,
            kind=RenderKind.STATEMENT,
            contact_lexware_id=contact_lexware_id,
        )
        .order_by("-created_at")
        .first()
    )


def contact_address(contact: Contact) -> dict[str, Any]:
    """The contact's billing address (§5.5) in a voucher address's shape."""
    raw = contact.raw if isinstance(contact.raw, dict) else {}
    addresses = raw.get("addresses") if isinstance(raw.get("addresses"), dict) else {}
    billing = (addresses.get("billing") or [{}])[0] if addresses else {}
    billing = billing if isinstance(billing, dict) else {}
    return {
        "name": contact.name,
        "supplement": billing.get("supplement") or "",
        "street": billing.get("street") or "",
        "zip": billing.get("zip") or "",
        "city": billing.get("city") or contact.city,
        "countryCode": billing.get("countryCode") or contact.country_code or "DE",
    }


def statement_items(
    *, organization: Organization, contact: Contact, today: date | None = None
) -> dict[str, Any]:
    """The customer's open invoices as of today (the contact page's open items)."""
    today = today or berlin_today()
    balance = contact_open_items(
        organization=organization, contact_id=contact.lexware_id, today=today
    )
    items = [
        {
            "number": row.voucher_number,
            "date": row.voucher_date.isoformat() if row.voucher_date else None,
            "due_date": row.due_date.isoformat() if row.due_date else None,
            "amount": str(row.total_amount or 0),
            "open": str(row.open_or_total),  # type: ignore[attr-defined]
            "days_overdue": int(row.days_past_due),  # type: ignore[attr-defined]
            "currency": row.currency,
        }
        for row in balance.items
    ]
    return {"as_of": today.isoformat(), "items": items, "total": str(balance.balance)}
