"""Bookkeeping voucher selectors on mirror rows."""

from __future__ import annotations

import pytest

from portal.bookkeeping.selectors import voucher_items, voucher_list
from portal.documents.mirror import apply_document_details
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem
from portal.sync import mirror_write
from tests.portal.conftest import make_contact, make_document

pytestmark = pytest.mark.django_db




def numbers(page: object) -> list[str]:
    return [row.voucher_number for row in page.object_list]  # type: ignore[attr-defined]


@pytest.fixture
def documents(org_a: Organization, org_b: Organization) -> None:
    werkstatt = make_contact(org_a, name="Beispiel Werkstatt GmbH", customer_number=10001)
    make_document(org_a, number="RE0001", contact=werkstatt, total=100, open_amount=100, voucher_days=-40, due_days=-26)
    make_document(org_a, number="RE0002", status="overdue", contact_name="Zeta GmbH", total=50, open_amount=20,
                  voucher_days=-30, due_days=-16)
    make_document(org_a, number="RE0003", contact_name="Alpha KG", total=300, open_amount=300, voucher_days=-2, due_days=12)
    make_document(org_a, number="RE0004", status="paid", contact=werkstatt, total=80, open_amount=0, voucher_days=-20)
    make_document(org_a, voucher_type="quotation", status="draft", number="AG0001", contact_name="Alpha KG",
                  total=999, open_amount=None, voucher_days=-1, due_days=None)
    make_document(org_a, voucher_type="purchaseinvoice", number="ER-77", contact_name="Papier Lieferant KG",
                  total=40, open_amount=40, voucher_days=-5, due_days=9)
    make_document(org_b, number="RE0001", contact_name="Fremd GmbH", total=1, open_amount=1, voucher_days=-3)


def test_bookkeeping_list_only_has_bookkeeping_types(org_a: Organization, documents: None) -> None:
    assert numbers(voucher_list(organization=org_a)) == ["ER-77"]
    # Asking for a sales type through the bookkeeping selector does not leak it.
    assert numbers(voucher_list(organization=org_a, types=["invoice"])) == ["ER-77"]


def test_voucher_items_carry_the_posting_category_name(org_a: Organization, org_b: Organization) -> None:
    category = "8f8664a8-fd86-11e1-a21f-0800200c9a66"
    mirror_write.replace_reference(organization=org_a, kind=ReferenceItem.Kind.POSTING_CATEGORY, items=[
        {"id": category, "name": "Warenverkäufe", "type": "income", "contactRequired": False,
         "splitAllowed": True, "groupName": "Einnahmen"}])
    mirror_write.replace_reference(organization=org_b, kind=ReferenceItem.Kind.POSTING_CATEGORY, items=[
        {"id": category, "name": "Fremder Name", "type": "income"}])
    voucher = make_document(org_a, voucher_type="salesinvoice", number="SHOP-2026-0042")
    voucher = apply_document_details(organization=org_a, voucher_type="salesinvoice", data={
        "id": str(voucher.lexware_id), "type": "salesinvoice", "voucherStatus": "open",
        "voucherNumber": "SHOP-2026-0042", "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "totalGrossAmount": 119.00, "totalTaxAmount": 19.00, "taxType": "gross",
        "useCollectiveContact": True, "contactName": "Online-Kunde M. Beispiel",
        "voucherItems": [{"amount": 119.00, "taxAmount": 19.00, "taxRatePercent": 19, "categoryId": category}],
        "files": [],
    })
    items = voucher_items(organization=org_a, voucher=voucher)
    assert [item["category_name"] for item in items] == ["Warenverkäufe"]
