from __future__ import annotations

from django.db import migrations

from portal.core.migration_ops import postgres_index

TABLE = "documents_document"


class Migration(migrations.Migration):
    """One index per sortable column of the documents list, matching portal.documents.selectors
    `_ordering` (read forwards or backwards), so a sorted page of 100,000 rows needs no sort."""

    dependencies = [("documents", "0002_search_trigram")]

    operations = [
        postgres_index(TABLE, "document_sort_total", '"organization_id", "total_amount" DESC NULLS LAST, "id" DESC'),
        postgres_index(TABLE, "document_sort_open", '"organization_id", "open_amount" DESC NULLS LAST, "id" DESC'),
        postgres_index(TABLE, "document_sort_due", '"organization_id", "due_date", "id"'),
        postgres_index(TABLE, "document_sort_contact", '"organization_id", "contact_name", "id"'),
        postgres_index(TABLE, "document_sort_number", '"organization_id", "voucher_number", "id"'),
    ]
