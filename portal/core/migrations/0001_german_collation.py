from __future__ import annotations

from typing import Any

from django.db import migrations

from portal.core.migration_ops import postgres_index


def create_collation(apps: Any, schema_editor: Any) -> None:
    # ICU's German order: Ä sorts with A, ß as ss, case only breaks ties. SQLite gets a Python
    # collation of the same name when it connects (portal.core.apps).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS de_icu (provider = icu, locale = 'de-DE')")


def drop_collation(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS de_icu")


class Migration(migrations.Migration):
    """The German collation, and an index per list that sorts names with it, so a sorted page
    of a large mirror needs no sort (portal.contacts/articles/documents selectors)."""

    dependencies = [
        ("contacts", "0002_search_trigram"),
        ("articles", "0002_search_trigram"),
        ("documents", "0003_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation, elidable=False),
        postgres_index("contacts_contact", "contact_org_name_de", '"organization_id", "name" COLLATE "de_icu", "id"'),
        postgres_index("articles_article", "article_org_title_de", '"organization_id", "title" COLLATE "de_icu", "id"'),
        postgres_index(
            "documents_document", "document_sort_contact_de", '"organization_id", "contact_name" COLLATE "de_icu", "id"'
        ),
    ]
