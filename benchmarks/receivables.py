"""Server time of the receivables pages on a large mirror (issue 14).

In-process like ``benchmarks.profile_pages``: Django's test client with production settings
against a scratch PostgreSQL database filled by ``benchmarks.pages_data.fill_mirror``
(--rows documents), VACUUM ANALYZE, one logged-in viewer. Times --repeat requests of the
receivables page (full and htmx-filtered by customer), one bucket's invoice list, and the
CSV export of all open invoices (streamed; the whole body is read), after two warm-ups each.
Prints one JSON line; `receivables_p95_ms` is the page's p95 (issue 14 target: ≤ 100 ms).

    .venv/bin/python -m benchmarks.receivables [--rows 100000] [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from benchmarks._common import (
    ROOT,
    create_scratch_db,
    drop_scratch_db,
    emit,
    load_average,
    log,
    unique_name,
)


def _timed(client: Any, path: str, repeat: int, headers: dict[str, str]) -> dict[str, Any]:
    timings = []
    size = 0
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(body)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(int(len(timings) * 0.95) - 1, 0)], 1),
        "bytes": size,
    }


def run(rows: int, repeat: int) -> dict[str, Any]:
    from cryptography.fernet import Fernet

    db_name = unique_name("bench_receivables")
    database_url = create_scratch_db(db_name)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PORTAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        REDIS_URL="",
        LEXWARE_BASE_URL="https://api.lexware.io",
        STATIC_ROOT=tempfile.mkdtemp(prefix="bench-static-"),
        PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
    )
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, check=True)
        import django

        django.setup()
        from django.db import connection, connections
        from django.test import Client
        from django.urls import reverse

        from benchmarks.pages_data import fill_mirror
        from portal.accounts.models import User
        from portal.organizations.models import Membership, Organization, Role
        from portal.receivables import history, selectors

        organization = Organization.objects.create(name="Forderungen GmbH", slug="rv-bench")
        began = time.perf_counter()
        fill_mirror(organization, rows)
        log(f"filled {rows} documents in {time.perf_counter() - began:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        user = User.objects.create_user("rv@example.org", "bench-password-123", full_name="RV")
        Membership.objects.create(user=user, organization=organization, role=Role.VIEWER)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        aging = selectors.aging(organization=organization)
        top = history.debtors(organization=organization, limit=1)[0]
        slug = {"org_slug": organization.slug}
        overview = reverse("receivables:overview", kwargs=slug)
        pages = {
            "receivables": (overview, {}),
            "receivables_customer_htmx": (
                f"{overview}?contact={top.contact_lexware_id}",
                {"HX-Request": "true"},
            ),
            "bucket_1_30": (reverse("receivables:invoices", kwargs=slug) + "?bucket=1-30", {}),
            "export_open_invoices_csv": (
                reverse("receivables:export", kwargs=slug) + "?table=invoices&format=csv",
                {},
            ),
            "export_debtors_xlsx": (
                reverse("receivables:export", kwargs=slug) + "?table=debtors&format=xlsx",
                {},
            ),
        }
        figures: dict[str, Any] = {}
        for name, (path, headers) in pages.items():
            _timed(client, path, 2, headers)
            figures[name] = _timed(client, path, repeat, headers)
            log(f"{name}: {figures[name]}")
        connections.close_all()
    finally:
        drop_scratch_db(db_name)
    return {
        "benchmark": "receivables",
        "setup": "in-process test client, production settings, scratch PostgreSQL, VACUUM ANALYZE",
        "rows": rows,
        "open_invoices": aging.count,
        "repeat": repeat,
        "pages": figures,
        "receivables_p95_ms": figures["receivables"]["p95_ms"],
        "targets_met": {"receivables_p95_at_most_100_ms": figures["receivables"]["p95_ms"] <= 100},
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    emit(run(args.rows, args.repeat))


if __name__ == "__main__":
    main()
