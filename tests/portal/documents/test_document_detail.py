"""Document and voucher detail pages, and the on-demand details fetch (DESIGN.md §2: pages read
the mirror; a missing or stale document is fetched by an interactive Operation)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.documents.mirror import (
    apply_document_details,
    upsert_document_from_list_row,
    upsert_payment,
)
from portal.documents.models import Document
from portal.documents.services import FETCH as FETCH_DOCUMENT
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem
from portal.sync import mirror_write
from tests.portal.conftest import invoice_details, lexware_time, make_document, voucher_row

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def detail_url(document: Document, name: str = "documents:detail") -> str:
    return reverse(name, kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id})


def fetches(document: Document) -> list[Operation]:
    return list(Operation.objects.filter(kind=FETCH_DOCUMENT, target_id=str(document.lexware_id)))


def test_opening_a_document_without_details_starts_one_fetch(
    cast: dict[str, User], client_for: ClientFor, invoice: Document
) -> None:
    client = client_for(cast["carol"])  # viewers may open documents too
    first = client.get(detail_url(invoice))
    second = client_for(cast["bob"]).get(detail_url(invoice))
    assert first.status_code == second.status_code == 200
    [operation] = fetches(invoice)
    assert operation.lane == "interactive" and operation.state == OperationState.PENDING
    text = second.content.decode()
    assert "Fetching the details from Lexware" in text
    assert (
        reverse("operations:status", kwargs={"org_slug": "alpha", "code": operation.code}) in text
    )
    assert 'hx-trigger="operation-finished from:body"' in text


def test_the_details_region_reload_never_starts_another_fetch(
    cast: dict[str, User], client_for: ClientFor, invoice: Document
) -> None:
    client = client_for(cast["alice"])
    client.get(detail_url(invoice))
    Operation.objects.filter(kind=FETCH_DOCUMENT).update(
        state=OperationState.FAILED, error_message="Lexware says no"
    )
    partial = client.get(detail_url(invoice), headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert text.strip().startswith('<div id="details"')
    assert "Lexware says no" in text
    assert "operation-finished" not in text  # no more listening: the fetch is over
    assert len(fetches(invoice)) == 1


def test_a_document_with_fresh_details_is_shown_without_fetching(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization, invoice: Document
) -> None:
    quotation = make_document(org_a, voucher_type="quotation", number="AG0007")
    details = invoice_details(
        invoice,
        relatedVouchers=[
            {"id": str(quotation.lexware_id), "voucherNumber": "AG0007", "voucherType": "quotation"}
        ],
    )
    apply_document_details(organization=org_a, voucher_type="invoice", data=details)
    upsert_payment(
        organization=org_a,
        voucher_id=str(invoice.lexware_id),
        data={
            "openAmount": 17.47,
            "currency": "EUR",
            "paymentStatus": "openRevenue",
            "voucherType": "invoice",
            "voucherStatus": "open",
            "paymentItems": [
                {
                    "paymentItemType": "manualPayment",
                    "postingDate": lexware_time(-1),
                    "amount": 20.0,
                    "currency": "EUR",
                }
            ],
        },
    )
    response = client_for(cast["alice"]).get(detail_url(invoice), headers={"Accept-Language": "de"})
    text = response.content.decode()
    assert fetches(invoice) == []
    assert "Beratung" in text and "Leistungszeitraum Februar" in text  # custom and text items
    assert "10 %" in text  # line discount
    assert "5,13 €" in text and "0,35 €" in text  # tax breakdown per rate
    assert "37,47 €" in text  # total gross
    assert "17,47 €" in text and "20,00 €" in text  # payment
    # The payment's kind in words, not Lexware's key (found walking the demo).
    assert "Manuelle Zahlung" in text and "manualPayment" not in text
    assert detail_url(quotation) in text  # related voucher link
    assert f"https://app.lexware.de/permalink/invoices/view/{invoice.lexware_id}" in text
    assert "Fetching" not in text


def test_stale_details_are_shown_while_the_current_version_is_fetched(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization, invoice: Document
) -> None:
    apply_document_details(
        organization=org_a, voucher_type="invoice", data=invoice_details(invoice)
    )
    row = voucher_row(number="RE0042", total=37.47, voucher_days=-10)
    row.update(
        id=str(invoice.lexware_id), updatedDate=lexware_time(0)
    )  # the list says: changed since
    upsert_document_from_list_row(organization=org_a, row=row)
    text = client_for(cast["alice"]).get(detail_url(invoice)).content.decode()
    assert "may be out of date" in text and "Beratung" in text
    assert len(fetches(invoice)) == 1


def test_quotation_sub_items_are_listed(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    quotation = make_document(org_a, voucher_type="quotation", status="open", number="AG0001")
    details = invoice_details(
        quotation,
        lineItems=[
            {
                "type": "custom",
                "name": "Hauptposition",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "grossAmount": 23.9, "taxRatePercentage": 19},
                "lineItemAmount": 23.9,
                "subItems": [
                    {
                        "type": "custom",
                        "name": "Alternative Ausführung",
                        "quantity": 1,
                        "unitName": "Stück",
                        "alternative": True,
                        "unitPrice": {
                            "currency": "EUR",
                            "grossAmount": 15.95,
                            "taxRatePercentage": 19,
                        },
                        "lineItemAmount": 15.95,
                    }
                ],
            },
            {
                "type": "custom",
                "name": "Zubehör",
                "optional": True,
                "quantity": 1.5,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "grossAmount": 4.9, "taxRatePercentage": 19},
                "lineItemAmount": 7.35,
            },
        ],
        taxConditions={"taxType": "gross"},
    )
    apply_document_details(organization=org_a, voucher_type="quotation", data=details)
    text = (
        client_for(cast["alice"])
        .get(detail_url(quotation), headers={"Accept-Language": "de"})
        .content.decode()
    )
    assert "Alternative Ausführung" in text and "line--sub" in text and "15,95 €" in text
    assert "1,5 Stück" in text and "optional" in text


def test_bookkeeping_voucher_detail_shows_positions_with_categories(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    category = "16d04a28-fd91-11e1-a21f-0800200c9a66"
    mirror_write.replace_reference(
        organization=org_a,
        kind=ReferenceItem.Kind.POSTING_CATEGORY,
        items=[{"id": category, "name": "Fremdleistungen", "type": "outgo"}],
    )
    voucher = make_document(org_a, voucher_type="purchaseinvoice", number="ER-2026-17")
    apply_document_details(
        organization=org_a,
        voucher_type="purchaseinvoice",
        data={
            "id": str(voucher.lexware_id),
            "type": "purchaseinvoice",
            "voucherStatus": "open",
            "voucherNumber": "ER-2026-17",
            "voucherDate": lexware_time(-3),
            "totalGrossAmount": 134.00,
            "totalTaxAmount": 13.00,
            "taxType": "net",
            "contactName": "Papier Lieferant KG",
            "voucherItems": [
                {"amount": 37.79, "taxAmount": 7.18, "taxRatePercent": 19, "categoryId": category},
                {"amount": 83.14, "taxAmount": 5.82, "taxRatePercent": 7, "categoryId": category},
            ],
            "files": ["9d8d0c1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f"],
        },
    )
    response = client_for(cast["carol"]).get(
        detail_url(voucher, "bookkeeping:detail"), headers={"Accept-Language": "de"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("Fremdleistungen") == 2
    assert (
        "134,00 €" in text and "13,00 €" in text and "9d8d0c1e-1b2a-4c3d-8e9f-0a1b2c3d4e5f" in text
    )
    assert fetches(voucher) == []


def test_bookkeeping_voucher_without_details_is_fetched_once(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    voucher = make_document(org_a, voucher_type="salesinvoice", number="SHOP-1")
    client = client_for(cast["alice"])
    client.get(detail_url(voucher, "bookkeeping:detail"))
    client.get(detail_url(voucher, "bookkeeping:detail"))
    [operation] = fetches(voucher)
    assert operation.input == {"voucher_type": "salesinvoice", "id": str(voucher.lexware_id)}


@pytest.mark.parametrize("name", ["documents:detail", "bookkeeping:detail"])
def test_detail_pages_are_read_only(
    name: str, cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    document = make_document(
        org_a, voucher_type="invoice" if name.startswith("documents") else "purchaseinvoice"
    )
    assert client_for(cast["alice"]).post(detail_url(document, name)).status_code == 405
    assert fetches(document) == []
