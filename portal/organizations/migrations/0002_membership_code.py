from __future__ import annotations

import uuid

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    Membership = apps.get_model("organizations", "Membership")
    for membership in Membership.objects.filter(code__isnull=True).only("pk"):
        membership.code = uuid.uuid4()
        membership.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        # Three steps, because existing rows each need their own UUID before it can be unique.
        migrations.AddField(model_name="membership", name="code", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="code",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
