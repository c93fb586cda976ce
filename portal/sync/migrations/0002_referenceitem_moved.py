# ReferenceItem now belongs to portal.reference (same table): drop it from this app's state only.
from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sync", "0001_initial"),
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReferenceItem")],
            database_operations=[],
        ),
    ]
