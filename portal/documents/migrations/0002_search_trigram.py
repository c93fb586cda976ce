from __future__ import annotations

from django.db import migrations

from portal.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [trigram_index("documents_document", "search_text", "document_search_trgm")]
