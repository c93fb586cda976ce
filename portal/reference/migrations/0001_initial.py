# The ReferenceItem model moves from the sync app to this one; its table stays as it is
# (state-only migration, paired with sync 0002).
from __future__ import annotations

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("organizations", "0001_initial"),
        ("sync", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReferenceItem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("country", "Country"), ("payment_condition", "Payment condition"), ("posting_category", "Posting category"), ("print_layout", "Print layout"), ("profile", "Profile")], max_length=30)),
                        ("key", models.CharField(max_length=64)),
                        ("name", models.CharField(blank=True, max_length=300)),
                        ("raw", models.JSONField(default=dict)),
                        ("synced_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("organization", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organizations.organization")),
                    ],
                    options={
                        "ordering": ["kind", "name"],
                        "db_table": "sync_referenceitem",
                        "constraints": [models.UniqueConstraint(fields=("organization", "kind", "key"), name="reference_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
