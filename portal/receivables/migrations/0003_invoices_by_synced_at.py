"""An index for the receivables page's mirror stamp (selectors.mirror_stamp): the newest
`synced_at` among an organization's invoice rows, one index lookup on a large mirror. The page
keys its precomputed figures on it (issue 14 item 5)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

NAME = "receivables_invoices_synced"


def create(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON documents_document (organization_id, synced_at) "
        "WHERE voucher_type IN ('invoice', 'downpaymentinvoice')"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("receivables", "0002_receivables_indexes")]

    operations = [migrations.RunPython(create, drop)]
