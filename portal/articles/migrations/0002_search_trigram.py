from __future__ import annotations

from django.db import migrations

from portal.core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [trigram_index("articles_article", "search_text", "article_search_trgm")]
