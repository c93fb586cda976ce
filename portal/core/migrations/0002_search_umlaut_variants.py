from __future__ import annotations

from typing import Any

from django.db import migrations

from portal.core.mirror import VARIANT_SEPARATOR, search_variants

MIRRORS = [("contacts", "Contact"), ("articles", "Article"), ("documents", "Document"), ("documents", "RecurringTemplate")]


def add_umlaut_variants(apps: Any, schema_editor: Any) -> None:
    """Rows written before search_text carried umlaut variants ("bäckerei" + "backerei" +
    "baeckerei", portal.core.mirror.normalise_search). Their old search_text is exactly the
    first variant, so the new text follows from it; only rows with non-ASCII text change."""
    for app_label, model_name in MIRRORS:
        model = apps.get_model(app_label, model_name)
        changed = []
        rows = model.objects.filter(search_text__regex=r"[^\x00-\x7f]").only("pk", "search_text")
        for row in rows.iterator(chunk_size=2000):
            original = row.search_text.split(VARIANT_SEPARATOR)[0]
            text = VARIANT_SEPARATOR.join(search_variants(original))
            if text != row.search_text:
                row.search_text = text
                changed.append(row)
            if len(changed) >= 1000:
                model.objects.bulk_update(changed, ["search_text"])
                changed = []
        if changed:
            model.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_german_collation")]

    operations = [migrations.RunPython(add_umlaut_variants, migrations.RunPython.noop, elidable=True)]
