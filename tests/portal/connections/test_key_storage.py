"""Lexware API keys at rest: ciphertext only, rotation, startup validation (reliability.md K1, K2, K3)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection as db_connection

from portal.connections.services import connection_save
from portal.core import crypto
from portal.organizations.models import LexwareConnection

CANARY = "lx-canary-key-Zq81mP0aa77bb99cc"


def _raw_column(org_id: int) -> str:
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT encrypted_api_key FROM organizations_lexwareconnection WHERE organization_id = %s",
            [org_id],
        )
        return str(cursor.fetchone()[0])


def test_the_key_is_stored_as_ciphertext_only(alice, org_a) -> None:
    connection_save(organization=org_a, user=alice, api_key=CANARY)
    stored = _raw_column(org_a.pk)
    assert CANARY not in stored
    assert CANARY[:8] not in stored
    conn = LexwareConnection.objects.get(organization=org_a)
    assert conn.key_last_four == CANARY[-4:]
    assert crypto.decrypt(conn.encrypted_api_key) == CANARY
    assert CANARY not in repr(conn) and CANARY not in str(conn)


def test_dumpdata_contains_no_key_in_clear(alice, org_a) -> None:
    connection_save(organization=org_a, user=alice, api_key=CANARY)
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    assert CANARY not in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_dump_contains_no_key_in_clear(alice, org_a) -> None:
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed for this check")
    connection_save(organization=org_a, user=alice, api_key=CANARY)
    settings_dict = db_connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "-h",
            settings_dict["HOST"] or "127.0.0.1",
            "-p",
            str(settings_dict["PORT"] or 5432),
            "-U",
            settings_dict["USER"] or "postgres",
            settings_dict["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "organizations_lexwareconnection" in dump.stdout
    assert CANARY not in dump.stdout


def test_rotation_re_encrypts_under_the_new_key_and_the_old_key_can_go(
    alice, org_a, org_b, charlie, settings
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PORTAL_ENCRYPTION_KEYS = [old]
    connection_save(organization=org_a, user=alice, api_key=CANARY)
    connection_save(organization=org_b, user=charlie, api_key=CANARY + "-b")

    settings.PORTAL_ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "re-encrypted: 2, already current: 0, unreadable: 0" in out.getvalue()

    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)  # idempotent
    assert "re-encrypted: 0, already current: 2" in out.getvalue()

    settings.PORTAL_ENCRYPTION_KEYS = [new]
    assert (
        crypto.decrypt(LexwareConnection.objects.get(organization=org_a).encrypted_api_key)
        == CANARY
    )
    assert (
        crypto.decrypt(LexwareConnection.objects.get(organization=org_b).encrypted_api_key)
        == CANARY + "-b"
    )


def test_a_row_under_a_removed_key_fails_loudly(alice, org_a, settings) -> None:
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    connection_save(organization=org_a, user=alice, api_key=CANARY)
    settings.PORTAL_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(LexwareConnection.objects.get(organization=org_a).encrypted_api_key)
    with pytest.raises(CommandError, match="1 connection"):
        call_command("rotate_encryption_keys", stdout=io.StringIO())


@pytest.mark.parametrize(
    "ring", [[], ["not-a-key"], ["c2hvcnQ="], [Fernet.generate_key().decode(), "x" * 44]]
)
def test_a_missing_or_malformed_key_ring_stops_startup(ring: list[str]) -> None:
    with pytest.raises(ImproperlyConfigured, match="PORTAL_ENCRYPTION_KEYS"):
        crypto.validate_key_ring(ring, setting_name="PORTAL_ENCRYPTION_KEYS")


def test_settings_refuse_to_start_without_keys_outside_debug() -> None:
    import os
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORTAL_ENCRYPTION_KEYS", "DJANGO_SETTINGS_MODULE")
    }
    env.update({"DEBUG": "false", "SECRET_KEY": "x" * 60, "PORTAL_ENCRYPTION_KEYS": ""})
    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert "PORTAL_ENCRYPTION_KEYS is required" in result.stderr
