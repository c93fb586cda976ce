"""The documents' mirror writers (documents/mirror.py)."""

from __future__ import annotations

import pytest
from django.db import connection, connections

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


def test_a_page_written_in_one_statement_equals_rows_written_one_by_one(
    org_a: Organization, org_b: Organization
) -> None:
    """The page writer (PostgreSQL: one JSON parameter) stores what the one-row ORM writer
    stores: timestamps with their offsets, day-only and missing dates, amounts with more
    digits, umlauts in the search text, a missing contact."""
    from portal.documents.mirror import LIST_ROW_COLUMNS, upsert_document_from_list_row

    rows = [
        voucher_row(number="RE-ä1", contact_name="Bäckerei Müller & Söhne", total=1234.5),
        {
            **voucher_row(number="", contact_name="", open_amount=None, due_days=None),
            "voucherDate": "2026-03-01",
            "createdDate": "2026-03-01T23:30:00.123Z",
            "totalAmount": "17.105",
            "archived": True,
            "currency": None,
            "note": 'a "quoted" \\ value',
        },
        {**voucher_row(status="overdue"), "contactId": "5b9b9a0c-6a5e-4d6b-8f7e-0c3c0d5f0a11"},
        {  # texts the page writer passes as they came, and ones it must read first
            **voucher_row(number="RE-3"),
            "voucherDate": "2026-13-01T00:00:00.000+01:00",  # Lexware's shape, no real day
            "dueDate": "2026-03-01T10:00:00",  # no zone: the portal's zone, as the ORM reads it
            "createdDate": "2026-02-28T23:59:59.999999+05:30",
            "updatedDate": "soon",
            "totalAmount": 100,
            "openAmount": True,  # not an amount
        },
    ]
    upsert_documents_from_list_rows(organization=org_a, rows=rows)
    for row in rows:
        upsert_document_from_list_row(organization=org_b, row=row)

    compared = [column for column in LIST_ROW_COLUMNS if column != "synced_at"]
    for row in rows:
        paged = Document.objects.get(organization=org_a, lexware_id=row["id"])
        single = Document.objects.get(organization=org_b, lexware_id=row["id"])
        for column in compared:
            assert getattr(paged, column) == getattr(single, column), column
        assert (paged.raw, paged.version, paged.details_synced_at) == ({}, None, None)
        assert paged.synced_at is not None and paged.deleted_at is None
    assert Document.objects.get(organization=org_a, lexware_id=rows[0]["id"]).search_text == (
        "re-ä1 bäckerei müller & söhne\nre-a1 backerei muller & sohne\n"
        "re-ae1 baeckerei mueller & soehne"
    )


@pytest.mark.django_db(transaction=True)
def test_a_page_written_outside_a_transaction_is_committed() -> None:
    """The sync writes outside any transaction: the page is its own (asynchronously committed)
    transaction, visible to every other connection at once."""
    org = Organization.objects.create(name="Autocommit GmbH", slug="autocommit")
    rows = [voucher_row(number=f"RE-{n}") for n in range(3)]

    assert not connection.in_atomic_block
    upsert_documents_from_list_rows(organization=org, rows=rows)

    assert not connection.in_atomic_block
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM documents_document WHERE organization_id = %s", [org.pk]
            )
            assert cursor.fetchone()[0] == 3
    finally:
        other.close()
