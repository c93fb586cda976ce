"""Bookkeeping voucher selectors on mirror rows."""

from __future__ import annotations

import pytest

from portal.bookkeeping.selectors import voucher_items, voucher_list
from portal.documents.mirror import apply_document_details
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem
from portal.sync import mirror_write
from tests.portal.conftest import make_document, numbers

pytestmark = pytest.mark.django_db


def test_bookkeeping_list_only_has_bookkeeping_types(org_a: Organization, documents: None) -> None:
    assert numbers(voucher_list(organization=org_a)) == ["ER-77"]
    # Asking for a sales type through the bookkeeping selector does not leak it.
    assert numbers(voucher_list(organization=org_a, types=["invoice"])) == ["ER-77"]


def test_voucher_items_carry_the_posting_category_name(
    org_a: Organization, org_b: Organization
) -> None:
    category = "8f8664a8-fd86-11e1-a21f-0800200c9a66"
    mirror_write.replace_reference(
        organization=org_a,
        kind=ReferenceItem.Kind.POSTING_CATEGORY,
        items=[
            {
                "id": category,
                "name": "Warenverkäufe",
                "type": "income",
                "contactRequired": False,
                "splitAllowed": True,
                "groupName": "Einnahmen",
            }
        ],
    )
    mirror_write.replace_reference(
        organization=org_b,
        kind=ReferenceItem.Kind.POSTING_CATEGORY,
        items=[{"id": category, "name": "Fremder Name", "type": "income"}],
    )
    voucher = make_document(org_a, voucher_type="salesinvoice", number="SHOP-2026-0042")
    voucher = apply_document_details(
        organization=org_a,
        voucher_type="salesinvoice",
        data={
            "id": str(voucher.lexware_id),
            "type": "salesinvoice",
            "voucherStatus": "open",
            "voucherNumber": "SHOP-2026-0042",
            "voucherDate": "2026-03-02T00:00:00.000+01:00",
            "totalGrossAmount": 119.00,
            "totalTaxAmount": 19.00,
            "taxType": "gross",
            "useCollectiveContact": True,
            "contactName": "Online-Kunde M. Beispiel",
            "voucherItems": [
                {"amount": 119.00, "taxAmount": 19.00, "taxRatePercent": 19, "categoryId": category}
            ],
            "files": [],
        },
    )
    items = voucher_items(organization=org_a, voucher=voucher)
    assert [item["category_name"] for item in items] == ["Warenverkäufe"]
