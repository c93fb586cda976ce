from __future__ import annotations

from django.db import migrations

from portal.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]

    operations = [trigram_index("contacts_contact", "search_text", "contact_search_trgm")]
