"""Mirror data for the portal tests, written through the sync's own upserts from dicts shaped
like Lexware's responses (lexware-api.md §5.5 contacts, §5.4 articles, §5.22 voucherlist rows,
§5.13 invoice details, §5.15 payments, §5.23 vouchers)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.contacts.mirror import upsert_contact
from portal.contacts.models import Contact
from portal.documents.mirror import upsert_document_from_list_row
from portal.documents.models import Document
from portal.operations.clients import in_process_simulator
from portal.organizations.models import Organization


@pytest.fixture(autouse=True)
def _fresh_count_cache() -> Iterator[None]:
    # List counts are cached per organization id; ids can repeat between tests on SQLite.
    cache.clear()
    yield
    cache.clear()


def lexware_time(days_from_now: int = 0) -> str:
    moment = timezone.localtime(timezone.now() + timedelta(days=days_from_now))
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000%z")[:-2] + ":" + moment.strftime("%z")[-2:]


def contact_data(
    *,
    name: str,
    customer_number: int | None = None,
    vendor_number: int | None = None,
    email: str = "",
    person: bool = False,
) -> dict[str, Any]:
    roles: dict[str, Any] = {}
    if customer_number is not None:
        roles["customer"] = {"number": customer_number}
    if vendor_number is not None:
        roles["vendor"] = {"number": vendor_number}
    data: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "version": 1,
        "roles": roles,
        "addresses": {
            "billing": [
                {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
            ]
        },
        "emailAddresses": {"business": [email]} if email else {},
        "phoneNumbers": {"business": ["040 1234567"]},
        "note": "",
        "archived": False,
    }
    if person:
        first, _, last = name.partition(" ")
        data["person"] = {"salutation": "Frau", "firstName": first, "lastName": last}
    else:
        data["company"] = {
            "name": name,
            "vatRegistrationId": "DE123456789",
            "contactPersons": [
                {
                    "firstName": "Jana",
                    "lastName": "Sommer",
                    "primary": True,
                    "emailAddress": "jana.sommer@example.org",
                }
            ],
        }
    return data


def make_contact(organization: Organization, **kwargs: Any) -> Contact:
    return upsert_contact(organization=organization, data=contact_data(**kwargs))


def voucher_row(
    *,
    voucher_type: str = "invoice",
    status: str = "open",
    number: str = "RE0001",
    contact: Contact | None = None,
    contact_name: str = "Beispiel Werkstatt GmbH",
    total: float = 119.0,
    open_amount: float | None = 119.0,
    voucher_days: int = -10,
    due_days: int | None = 4,
) -> dict[str, Any]:
    """A voucherlist row (§5.22)."""
    return {
        "id": str(uuid.uuid4()),
        "voucherType": voucher_type,
        "voucherStatus": status,
        "voucherNumber": number,
        "voucherDate": lexware_time(voucher_days),
        "createdDate": lexware_time(voucher_days),
        "updatedDate": lexware_time(voucher_days),
        "dueDate": lexware_time(due_days) if due_days is not None else None,
        "contactId": str(contact.lexware_id) if contact else None,
        "contactName": contact.name if contact else contact_name,
        "totalAmount": total,
        "openAmount": open_amount,
        "currency": "EUR",
        "archived": False,
    }


def make_document(organization: Organization, **kwargs: Any) -> Document:
    return upsert_document_from_list_row(organization=organization, row=voucher_row(**kwargs))


def invoice_details(document: Document, **extra: Any) -> dict[str, Any]:
    """GET /v1/invoices/{id} (§5.13, totals as in §8.3's sample)."""
    data: dict[str, Any] = {
        "id": str(document.lexware_id),
        "organizationId": str(uuid.uuid4()),
        "createdDate": lexware_time(-10),
        "updatedDate": lexware_time(-10),
        "version": 2,
        "language": "de",
        "archived": False,
        "voucherStatus": document.status,
        "voucherNumber": document.voucher_number,
        "voucherDate": lexware_time(-10),
        "dueDate": lexware_time(4),
        "address": {
            "contactId": str(document.contact_lexware_id) if document.contact_lexware_id else None,
            "name": document.contact_name,
            "street": "Hafenweg 3",
            "zip": "20457",
            "city": "Hamburg",
            "countryCode": "DE",
        },
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 3,
                "unitName": "Stunde",
                "unitPrice": {
                    "currency": "EUR",
                    "netAmount": 10.0,
                    "grossAmount": 11.9,
                    "taxRatePercentage": 19,
                },
                "discountPercentage": 10,
                "lineItemAmount": 27.0,
            },
            {
                "type": "custom",
                "name": "Fachbuch",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {
                    "currency": "EUR",
                    "netAmount": 4.99,
                    "grossAmount": 5.34,
                    "taxRatePercentage": 7,
                },
                "discountPercentage": 0,
                "lineItemAmount": 4.99,
            },
            {"type": "text", "name": "Hinweis", "description": "Leistungszeitraum Februar"},
        ],
        "totalPrice": {
            "currency": "EUR",
            "totalNetAmount": 31.99,
            "totalGrossAmount": 37.47,
            "totalTaxAmount": 5.48,
            "totalDiscountAbsolute": None,
        },
        "taxAmounts": [
            {"taxRatePercentage": 19, "taxAmount": 5.13, "netAmount": 27.0},
            {"taxRatePercentage": 7, "taxAmount": 0.35, "netAmount": 4.99},
        ],
        "taxConditions": {"taxType": "net"},
        "paymentConditions": {"paymentTermLabel": "Zahlbar in 14 Tagen", "paymentTermDuration": 14},
        "shippingConditions": {"shippingType": "service", "shippingDate": lexware_time(-10)},
        "relatedVouchers": [],
        "title": "Rechnung",
        "introduction": "Wir berechnen Ihnen:",
        "remark": "Vielen Dank.",
    }
    data.update(extra)
    return data


@pytest.fixture
def werkstatt(org_a: Organization) -> Contact:
    return make_contact(
        org_a, name="Beispiel Werkstatt GmbH", customer_number=10001, email="info@werkstatt.example"
    )


@pytest.fixture
def invoice(org_a: Organization, werkstatt: Contact) -> Document:
    return make_document(org_a, number="RE0042", contact=werkstatt, total=37.47, open_amount=37.47)


def numbers(page: object) -> list[str]:
    return [row.voucher_number for row in page.object_list]  # type: ignore[attr-defined]


@pytest.fixture
def documents(org_a: Organization, org_b: Organization) -> None:
    """Sales documents and a purchase invoice in org A, one invoice in org B."""
    werkstatt = make_contact(org_a, name="Beispiel Werkstatt GmbH", customer_number=10001)
    make_document(
        org_a,
        number="RE0001",
        contact=werkstatt,
        total=100,
        open_amount=100,
        voucher_days=-40,
        due_days=-26,
    )
    make_document(
        org_a,
        number="RE0002",
        status="overdue",
        contact_name="Zeta GmbH",
        total=50,
        open_amount=20,
        voucher_days=-30,
        due_days=-16,
    )
    make_document(
        org_a,
        number="RE0003",
        contact_name="Alpha KG",
        total=300,
        open_amount=300,
        voucher_days=-2,
        due_days=12,
    )
    make_document(
        org_a,
        number="RE0004",
        status="paid",
        contact=werkstatt,
        total=80,
        open_amount=0,
        voucher_days=-20,
    )
    make_document(
        org_a,
        voucher_type="quotation",
        status="draft",
        number="AG0001",
        contact_name="Alpha KG",
        total=999,
        open_amount=None,
        voucher_days=-1,
        due_days=None,
    )
    make_document(
        org_a,
        voucher_type="purchaseinvoice",
        number="ER-77",
        contact_name="Papier Lieferant KG",
        total=40,
        open_amount=40,
        voucher_days=-5,
        due_days=9,
    )
    make_document(
        org_b, number="RE0001", contact_name="Fremd GmbH", total=1, open_amount=1, voucher_days=-3
    )


@pytest.fixture
def sim() -> Iterator[Any]:
    """The tests' in-process simulator, emptied (faults and key restrictions too) before and
    after each test."""
    simulator = in_process_simulator()
    simulator.reset()
    yield simulator
    simulator.reset()
    simulator.api_keys = None
