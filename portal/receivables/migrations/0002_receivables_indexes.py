"""Partial indexes on the documents mirror for the receivables page (issue 14).

They live here, not in portal.documents, because only the receivables queries need them: the
open invoices by due date (aging buckets, top debtors, bucket lists, dunning run) and the paid
invoices by Lexware's updatedDate (days to pay, paid per month). Each covers a small slice of
a large mirror. On PostgreSQL they carry the columns the aggregates read (INCLUDE), so the
buckets and the debtors are index-only scans; SQLite gets the same indexes without them.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

INVOICES = "voucher_type IN ('invoice', 'downpaymentinvoice') AND deleted_at IS NULL"

INDEXES = {
    "receivables_open_by_due": (
        "organization_id, due_date, id",
        "status, open_amount, total_amount, contact_lexware_id, contact_name",
        f"{INVOICES} AND status IN ('open', 'overdue')",
    ),
    "receivables_paid_by_updated": (
        "organization_id, lexware_updated_at",
        "voucher_date, total_amount, contact_lexware_id, lexware_id",
        f"{INVOICES} AND status = 'paid'",
    ),
}


def create(apps: Any, schema_editor: Any) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, (columns, included, where) in INDEXES.items():
        include = f" INCLUDE ({included})" if postgres else ""
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document ({columns}){include} "
            f"WHERE {where}"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("receivables", "0001_initial"),
        ("documents", "0003_sort_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
