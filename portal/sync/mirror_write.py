"""Writes Lexware data (API-shaped dicts, lexware-api.md §5) into the mirror tables.

Every writer is an idempotent upsert keyed by (organization, lexware id), so replays,
duplicate webhooks and overlapping sync windows never create duplicate rows.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from portal.articles.models import Article
from portal.contacts.models import Contact
from portal.core.mirror import normalise_search
from portal.documents.models import Document, Payment, RecurringTemplate
from portal.organizations.models import Organization
from portal.sync.models import ReferenceItem


def _dt(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        day = parse_date(str(value))
        if day is None:
            return None
        parsed = datetime(day.year, day.month, day.day)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _day(value: Any) -> date | None:
    parsed = _dt(value)
    return timezone.localtime(parsed).date() if parsed else None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _first(mapping: Any, *keys: str) -> str:
    """The first non-empty entry of Lexware's lists-of-strings objects (emails, phones)."""
    if not isinstance(mapping, dict):
        return ""
    for key in keys or tuple(mapping):
        values = mapping.get(key) or []
        if values:
            return str(values[0])
    return ""


def api_dict(item: Any) -> dict[str, Any]:
    """A resource as Lexware's JSON dict, whether the client gave a model or a plain dict."""
    if isinstance(item, dict):
        return item
    result: dict[str, Any] = item.to_api()
    return result


def _mirror_columns(data: dict[str, Any]) -> dict[str, Any]:
    """The columns every mirror row shares (portal.core.mirror.MirrorModel)."""
    return {"version": data.get("version"), "raw": data, "synced_at": timezone.now(), "deleted_at": None}


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
    email = _first(emails, "business", "office", "private", "other")
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
            **_mirror_columns(data),
            "name": name[:300],
            "is_company": bool(data.get("company")),
            "is_customer": customer is not None,
            "is_vendor": vendor is not None,
            "customer_number": customer_number,
            "vendor_number": vendor_number,
            "email": email[:300],
            "phone": _first(data.get("phoneNumbers") or {}, "business", "office", "mobile", "private", "other")[:100],
            "city": str(billing.get("city") or "")[:200],
            "country_code": str(billing.get("countryCode") or "")[:10],
            "archived": bool(data.get("archived")),
            "search_text": normalise_search(name, customer_number, vendor_number, email, billing.get("city")),
        },
    )
    return contact


def upsert_article(*, organization: Organization, data: dict[str, Any]) -> Article:
    price = data.get("price") or {}
    article, _ = Article.objects.update_or_create(
        organization=organization,
        lexware_id=data["id"],
        defaults={
            **_mirror_columns(data),
            "title": str(data.get("title") or "")[:300],
            "article_number": str(data.get("articleNumber") or "")[:100],
            "gtin": str(data.get("gtin") or "")[:20],
            "type": str(data.get("type") or "")[:20],
            "unit_name": str(data.get("unitName") or "")[:100],
            "net_price": _decimal(price.get("netPrice")),
            "gross_price": _decimal(price.get("grossPrice")),
            "tax_rate": _decimal(price.get("taxRate")),
            "archived": bool(data.get("archived")),
            "search_text": normalise_search(data.get("title"), data.get("articleNumber"), data.get("gtin")),
        },
    )
    return article


def _document_search(number: Any, contact_name: Any) -> str:
    return normalise_search(number, contact_name)


def upsert_document_from_list_row(*, organization: Organization, row: dict[str, Any]) -> Document:
    """A voucherlist row (§5.22). Keeps fetched details; marks them stale by updatedDate."""
    updated = _dt(row.get("updatedDate"))
    defaults = {
        "voucher_type": str(row.get("voucherType") or ""),
        "status": str(row.get("voucherStatus") or ""),
        "voucher_number": str(row.get("voucherNumber") or "")[:100],
        "voucher_date": _dt(row.get("voucherDate")),
        "due_date": _dt(row.get("dueDate")),
        "contact_lexware_id": row.get("contactId") or None,
        "contact_name": str(row.get("contactName") or "")[:300],
        "total_amount": _decimal(row.get("totalAmount")),
        "open_amount": _decimal(row.get("openAmount")),
        "currency": str(row.get("currency") or "EUR")[:3],
        "archived": bool(row.get("archived")),
        "lexware_created_at": _dt(row.get("createdDate")),
        "lexware_updated_at": updated,
        "list_row": row,
        "synced_at": timezone.now(),
        "deleted_at": None,
        "search_text": _document_search(row.get("voucherNumber"), row.get("contactName")),
    }
    document, _ = Document.objects.update_or_create(organization=organization, lexware_id=row["id"], defaults=defaults)
    return document


def _details_total(voucher_type: str, data: dict[str, Any]) -> Decimal | None:
    if "totalGrossAmount" in data:  # bookkeeping voucher
        return _decimal(data.get("totalGrossAmount"))
    total = data.get("totalPrice") or {}
    return _decimal(total.get("totalGrossAmount"))


def apply_document_details(*, organization: Organization, voucher_type: str, data: dict[str, Any]) -> Document:
    """A full document from GET /v1/{type}/{id} or /v1/vouchers/{id}."""
    address = data.get("address") or {}
    contact_name = address.get("name") or data.get("contactName") or ""
    contact_id = address.get("contactId") or data.get("contactId") or None
    status = data.get("voucherStatus") or ""
    updated = _dt(data.get("updatedDate"))
    defaults: dict[str, Any] = {
        "voucher_type": voucher_type,
        "version": data.get("version"),
        "raw": data,
        "details_synced_at": timezone.now(),
        "details_updated_at": updated,
        "synced_at": timezone.now(),
        "deleted_at": None,
        "voucher_number": str(data.get("voucherNumber") or "")[:100],
        "voucher_date": _dt(data.get("voucherDate")),
        "due_date": _dt(data.get("dueDate")),
        "contact_lexware_id": contact_id,
        "contact_name": str(contact_name)[:300],
        "total_amount": _details_total(voucher_type, data),
        "archived": bool(data.get("archived")),
        "lexware_created_at": _dt(data.get("createdDate")),
        "lexware_updated_at": updated,
        "search_text": _document_search(data.get("voucherNumber"), contact_name),
    }
    existing = Document.objects.filter(organization=organization, lexware_id=data["id"]).first()
    # The list row knows "overdue", which the details do not: keep it while still open.
    if not (existing and existing.status == "overdue" and status == "open"):
        defaults["status"] = status
    document, _ = Document.objects.update_or_create(organization=organization, lexware_id=data["id"], defaults=defaults)
    return document


def upsert_payment(*, organization: Organization, voucher_id: str, data: dict[str, Any]) -> Payment:
    payment, _ = Payment.objects.update_or_create(
        organization=organization,
        lexware_id=voucher_id,
        defaults={
            "raw": data,
            "synced_at": timezone.now(),
            "open_amount": _decimal(data.get("openAmount")),
            "payment_status": str(data.get("paymentStatus") or ""),
            "voucher_status": str(data.get("voucherStatus") or ""),
            "paid_date": _dt(data.get("paidDate")),
        },
    )
    if payment.open_amount is not None:
        Document.objects.filter(organization=organization, lexware_id=voucher_id).update(open_amount=payment.open_amount)
    return payment


def upsert_recurring_template(*, organization: Organization, data: dict[str, Any]) -> RecurringTemplate:
    settings = data.get("recurringTemplateSettings") or {}
    template, _ = RecurringTemplate.objects.update_or_create(
        organization=organization,
        lexware_id=data["id"],
        defaults={
            **_mirror_columns(data),
            "title": str(data.get("title") or "")[:300],
            "contact_name": str((data.get("address") or {}).get("name") or "")[:300],
            "total_gross_amount": _decimal((data.get("totalPrice") or {}).get("totalGrossAmount")),
            "execution_interval": str(settings.get("executionInterval") or ""),
            "execution_status": str(settings.get("executionStatus") or ""),
            "next_execution_date": _day(settings.get("nextExecutionDate")),
            "search_text": normalise_search(data.get("title"), (data.get("address") or {}).get("name")),
        },
    )
    return template


_REFERENCE_KEY = {
    ReferenceItem.Kind.COUNTRY: ("countryCode", "countryNameDE"),
    ReferenceItem.Kind.PAYMENT_CONDITION: ("id", "paymentTermLabelTemplate"),
    ReferenceItem.Kind.POSTING_CATEGORY: ("id", "name"),
    ReferenceItem.Kind.PRINT_LAYOUT: ("id", "name"),
    ReferenceItem.Kind.PROFILE: ("organizationId", "companyName"),
}


def replace_reference(*, organization: Organization, kind: str, items: list[dict[str, Any]]) -> int:
    """Reference lists are small and complete: replace the kind's rows with what Lexware sent."""
    key_field, name_field = _REFERENCE_KEY[ReferenceItem.Kind(kind)]
    keep: list[str] = []
    for item in items:
        key = str(item.get(key_field) or "")
        if not key:
            continue
        keep.append(key)
        ReferenceItem.objects.update_or_create(
            organization=organization,
            kind=kind,
            key=key,
            defaults={"raw": item, "name": str(item.get(name_field) or "")[:300], "synced_at": timezone.now()},
        )
    ReferenceItem.objects.filter(organization=organization, kind=kind).exclude(key__in=keep).delete()
    return len(keep)


def mark_deleted(*, organization: Organization, resource: str, lexware_id: str) -> None:
    model = {"contacts": Contact, "articles": Article, "recurring_templates": RecurringTemplate}.get(resource, Document)
    model.objects.filter(organization=organization, lexware_id=lexware_id).update(deleted_at=timezone.now())
