"""`lexware` ships alone: importing it needs only httpx and pydantic (lexware/README.md).

redis, fpdf2 and cryptography are optional extras, and Django is no dependency at all. A child
interpreter gets a meta-path finder that refuses those imports, as if they were not installed,
then imports and uses the client. A module-level import of any of them anywhere on the import
path of the client makes the child fail. A child process is needed because this test process
has already imported all of them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys

    BLOCKED = ("redis", "fpdf", "cryptography", "django")

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, Blocker())

    # The blocker works: otherwise this test would prove nothing.
    for name in BLOCKED:
        try:
            __import__(name)
        except ImportError:
            pass
        else:
            raise SystemExit(f"blocker failed for {name}")

    import lexware

    print(lexware.__file__)
    import lexware.client
    import lexware.deeplinks
    import lexware.encoding
    import lexware.errors
    import lexware.models
    import lexware.pagination
    import lexware.ratelimit
    import lexware.resources
    import lexware.webhooks
    from lexware import InMemoryRateLimiter, LexwareClient, NoLimiter, RedisRateLimiter

    for limiter in (NoLimiter(), InMemoryRateLimiter()):
        client = LexwareClient("not-a-real-key", limiter=limiter)
        assert client.contacts is not None and client.invoices is not None
        client.close()
    InMemoryRateLimiter().acquire("abc", timeout=1.0)

    # Parsing a webhook needs no cryptography; verifying it names the extra to install.
    event = lexware.webhooks.parse_event(
        b'{"organizationId": "o", "eventType": "contact.changed", "resourceId": "r",'
        b' "eventDate": "2026-01-01T00:00:00.000+01:00"}'
    )
    assert event.event_type == "contact.changed", event

    def import_error(call):
        try:
            call()
        except ImportError as exc:
            return str(exc)
        raise SystemExit(f"no ImportError from {call}")

    assert "lexware-portal[webhooks]" in import_error(
        lambda: lexware.webhooks.verify(b"{}", "c2ln", "pem")
    )
    assert "lexware-portal[redis]" in import_error(
        lambda: RedisRateLimiter.from_url("redis://127.0.0.1:1/0")
    )
    assert "lexware-portal[simulator]" in import_error(lambda: __import__("lexware.simulator"))

    leaked = sorted(n for n in sys.modules if n.split(".")[0] in BLOCKED)
    assert not leaked, leaked
    print("OK")
    """
)


def test_lexware_imports_and_works_without_optional_packages() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    imported_from, last = result.stdout.split()
    # The child must have tested this checkout's package, not some installed copy.
    assert Path(imported_from).resolve() == ROOT / "lexware" / "__init__.py"
    assert last == "OK"
