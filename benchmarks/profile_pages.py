"""Server time of single pages, and where it goes (issue 18 item 2).

In-process (no HTTP, no gunicorn): Django's test client with production settings against a
scratch PostgreSQL database filled by ``benchmarks.pages_data.fill_mirror`` (--rows documents),
VACUUM ANALYZE, one logged-in member. For each page (documents list, an htmx search of it, the
contacts list, a document's detail page, the dashboard) it times --repeat requests after two
warm-up requests, and profiles a further --profile requests with pyinstrument; the top frames of
each profile go to stderr, the figures to stdout as one JSON line. Target: p50 <= 10 ms each.

    .venv/bin/python -m benchmarks.profile_pages [--rows 100000] [--repeat 60] [--profile 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from typing import Any

from benchmarks._common import (
    ROOT,
    create_scratch_db,
    drop_scratch_db,
    emit,
    interpreter,
    load_average,
    log,
    unique_name,
)


def _timed(client: Any, path: str, repeat: int, headers: dict[str, str]) -> list[float]:
    timings = []
    for _ in range(repeat):
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return timings


def _profile(client: Any, path: str, repeat: int, headers: dict[str, str]) -> str:
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        client.get(path, headers=headers)
    profiler.stop()
    return str(profiler.output_text(unicode=False, color=False, show_all=False))


def run(rows: int, repeat: int, profile: int) -> dict[str, Any]:
    import secrets
    import subprocess

    from cryptography.fernet import Fernet

    db_name = unique_name("bench_profile")
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
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            check=True,
        )
        import django

        django.setup()
        from django.db import connection, connections
        from django.test import Client
        from django.urls import reverse

        from benchmarks.pages_data import fill_mirror
        from portal.accounts.models import User
        from portal.documents.models import Document
        from portal.organizations.models import Membership, Organization, Role

        organization = Organization.objects.create(name="Profil GmbH", slug="profile-bench")
        began = time.perf_counter()
        fill_mirror(organization, rows)
        log(f"filled {rows} documents in {time.perf_counter() - began:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        user = User.objects.create_user(
            "profile@example.org", "bench-password-123", full_name="Profil"
        )
        Membership.objects.create(user=user, organization=organization, role=Role.MEMBER)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        slug = {"org_slug": organization.slug}
        invoice = (
            Document.objects.filter(organization=organization, voucher_type="invoice")
            .order_by("pk")
            .first()
        )
        assert invoice is not None
        pages = {
            "documents_list": (reverse("documents:list", kwargs=slug), {}),
            "documents_search_htmx": (
                reverse("documents:list", kwargs=slug) + "?q=schmidt",
                {"HX-Request": "true"},
            ),
            "contacts_list": (reverse("contacts:list", kwargs=slug), {}),
            "document_detail": (
                reverse("documents:detail", kwargs={**slug, "lexware_id": invoice.lexware_id}),
                {},
            ),
            "dashboard": (reverse("dashboard:index", kwargs=slug), {}),
        }
        figures: dict[str, Any] = {}
        for name, (path, headers) in pages.items():
            _timed(client, path, 2, headers)  # warm-up: templates compiled, caches filled
            timings = sorted(_timed(client, path, repeat, headers))
            figures[name] = {
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            }
            if profile:
                log(
                    f"--- profile of {name} ({profile} requests) ---\n{_profile(client, path, profile, headers)}"
                )
        connections.close_all()
    finally:
        drop_scratch_db(db_name)
    return {
        "benchmark": "profile_pages",
        "setup": "in-process test client, production settings, scratch PostgreSQL, VACUUM ANALYZE",
        "rows": rows,
        "repeat": repeat,
        "pages": figures,
        "python": interpreter(),
        "targets_met": {"p50_at_most_10_ms": all(f["p50_ms"] <= 10 for f in figures.values())},
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument(
        "--profile", type=int, default=20, help="requests profiled per page (0: none)"
    )
    args = parser.parse_args()
    if (
        not 1 <= args.rows <= 500_000
        or not 5 <= args.repeat <= 10_000
        or not 0 <= args.profile <= 1_000
    ):
        parser.error("--rows 1..500000, --repeat 5..10000, --profile 0..1000")
    emit(run(args.rows, args.repeat, args.profile))


if __name__ == "__main__":
    main()
