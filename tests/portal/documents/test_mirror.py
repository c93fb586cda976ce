"""The documents' mirror writers (documents/mirror.py)."""

from __future__ import annotations

from portal.documents.mirror import apply_document_details, upsert_documents_from_list_rows
from portal.documents.models import Document
from portal.organizations.models import Organization
from tests.portal.conftest import invoice_details, make_document, voucher_row


def test_a_page_of_list_rows_updates_list_columns_and_keeps_details(
    org_a: Organization, org_b: Organization
) -> None:
    known = make_document(org_a, number="RE-1", contact_name="Alt GmbH", total=10, open_amount=10)
    apply_document_details(organization=org_a, voucher_type="invoice", data=invoice_details(known))
    detailed = Document.objects.get(pk=known.pk)
    changed = {
        **voucher_row(
            number="RE-1", contact_name="Neu GmbH", total=10, open_amount=0, status="paid"
        ),
        "id": str(known.lexware_id),
    }
    new = voucher_row(number="RE-2", contact_name="Zweite KG")
    duplicate_of_new = {**new, "contactName": "Zweite KG (neuer)"}

    written = upsert_documents_from_list_rows(
        organization=org_a, rows=[changed, new, duplicate_of_new]
    )

    assert written == 2
    row = Document.objects.get(pk=known.pk)
    assert (row.status, row.contact_name, row.open_amount) == ("paid", "Neu GmbH", 0)
    assert "neu gmbh" in row.search_text
    assert row.raw == detailed.raw and row.version == detailed.version
    assert row.details_synced_at == detailed.details_synced_at
    second = Document.objects.get(organization=org_a, lexware_id=new["id"])
    assert second.contact_name == "Zweite KG (neuer)" and second.raw == {}
    assert not Document.objects.filter(organization=org_b).exists()
