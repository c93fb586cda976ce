"""Re-encrypt every stored Lexware API key under the newest PORTAL_ENCRYPTION_KEYS key.

Rotation: put the new key first (`NEW,OLD`), run this command, then drop OLD. It works in
batches, commits per batch, can be run again at any time (rows already under the newest key
are skipped), and prints only counts — never a key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core import crypto
from portal.organizations.models import LexwareConnection

BATCH_SIZE = 200


class Command(BaseCommand):
    help = "Re-encrypt every stored Lexware API key with the newest key of PORTAL_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = unchanged = unreadable = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    LexwareConnection.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")[:BATCH_SIZE]
                )
                if not batch:
                    break
                for connection in batch:
                    last_pk = connection.pk
                    if crypto.is_under_newest_key(connection.encrypted_api_key):
                        unchanged += 1
                        continue
                    try:
                        connection.encrypted_api_key = crypto.rotate(connection.encrypted_api_key)
                    except crypto.DecryptionError:
                        unreadable += 1
                        continue
                    connection.save(update_fields=["encrypted_api_key"])
                    changed += 1
        self.stdout.write(
            f"re-encrypted: {changed}, already current: {unchanged}, unreadable: {unreadable}"
        )
        if unreadable:
            raise CommandError(
                f"{unreadable} connection(s) could not be decrypted with any configured key; "
                "their API keys must be entered again."
            )
