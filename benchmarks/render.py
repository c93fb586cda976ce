"""Rendering in one worker process (issue 19): 200 draft previews of 1–3 pages and 50
customer statements, each through the worker's own code path (`portal.rendering.render.
render_job`: claim the job row, draw with fpdf2, store the PDF in the "documents" storage,
record the result) on a scratch PostgreSQL database with production settings.

Prints one JSON line: p50/p95 per render (previews by page count, statements), renders per
second over the whole run, `peak_rss_mb` and the resident memory after the first 50 and after
the last render (memory flat = no growth with the number of renders).

    .venv/bin/python -m benchmarks.render [--previews 200] [--statements 50]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from benchmarks._common import (
    ROOT,
    create_scratch_db,
    drop_scratch_db,
    emit,
    load_average,
    log,
    percentile,
    unique_name,
)

# Items per preview: about one, two and three pages with the descriptions below.
ITEM_COUNTS = (6, 30, 45)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024, 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def voucher(index: int, items: int) -> dict[str, Any]:
    lines = [
        {
            "type": "custom",
            "name": f"Position {n} – Wartung Heizungsanlage Nr. {index}",
            "description": "Material und Arbeitszeit laut **Aufmaß**, inkl. Anfahrt."
            if n % 3
            else "",
            "quantity": 1 + n % 4,
            "unitName": "Stück",
            "unitPrice": {
                "currency": "EUR",
                "netAmount": 10 + n,
                "taxRatePercentage": 19 if n % 2 else 7,
            },
            "discountPercentage": 5 if n % 5 == 0 else 0,
        }
        for n in range(items)
    ]
    return {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "address": {
            "name": f"Kunde {index} GmbH",
            "street": "Königsallee 5",
            "zip": "40212",
            "city": "Düsseldorf",
            "countryCode": "DE",
        },
        "lineItems": lines,
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "paymentConditions": {
            "paymentTermLabel": "Zahlbar in 14 Tagen ohne Abzug",
            "paymentTermDuration": 14,
        },
        "shippingConditions": {
            "shippingType": "service",
            "shippingDate": "2026-11-01T00:00:00.000+01:00",
        },
        "introduction": "Sehr geehrte Damen und Herren,\nwir berechnen Ihnen die folgenden Leistungen:",
        "remark": "Vielen Dank für Ihren Auftrag!",
        "language": "en" if index % 4 == 0 else "de",
    }


def run(previews: int, statements: int) -> dict[str, Any]:
    from cryptography.fernet import Fernet

    db_name = unique_name("bench_render")
    database_url = create_scratch_db(db_name)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        PORTAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=database_url,
        REDIS_URL="",
        LEXWARE_BASE_URL="https://api.lexware.io",
        PORTAL_VAR_DIR=tempfile.mkdtemp(prefix="bench-var-"),
    )
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
        )
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        from portal.contacts.models import Contact
        from portal.documents.models import Document
        from portal.organizations.models import Organization
        from portal.rendering import render, selectors, services
        from portal.rendering.models import RenderJob

        organization = Organization.objects.create(
            name="Demo Werkstatt GmbH",
            slug="render-bench",
            iban="DE02120300000000202051",
            bank_account_holder="Demo Werkstatt GmbH",
            bic="BYLADEM1001",
            bank_name="DKB",
        )
        preview_jobs = []
        for index in range(previews):
            payload = services.voucher_payload(
                organization=organization,
                voucher=voucher(index, ITEM_COUNTS[index % 3]),
                voucher_type="invoice",
            )
            preview_jobs.append(
                RenderJob.objects.create(
                    organization=organization,
                    kind="preview",
                    input=payload,
                    input_hash=services.input_hash(payload),
                )
            )
        now = timezone.now()
        statement_jobs = []
        for index in range(statements):
            contact = Contact.objects.create(
                organization=organization,
                lexware_id=uuid.uuid4(),
                name=f"Kunde {index} GmbH",
                is_customer=True,
                customer_number=10000 + index,
            )
            for n in range(12):
                Document.objects.create(
                    organization=organization,
                    lexware_id=uuid.uuid4(),
                    voucher_type="invoice",
                    status="open",
                    voucher_number=f"RE{index:04d}-{n:02d}",
                    voucher_date=now - timedelta(days=20 + 7 * n),
                    due_date=now - timedelta(days=6 + 7 * n),
                    contact_lexware_id=contact.lexware_id,
                    total_amount=Decimal("119.00") + n,
                    open_amount=Decimal("100.00") + n,
                )
            payload = {
                "kind": "statement",
                "language": "de",
                "letterhead": selectors.letterhead(organization=organization),
                "recipient": selectors.contact_address(contact),
                "customer_number": str(contact.customer_number),
                **selectors.statement_items(organization=organization, contact=contact),
            }
            statement_jobs.append(
                RenderJob.objects.create(
                    organization=organization,
                    kind="statement",
                    input=payload,
                    input_hash=services.input_hash(payload),
                )
            )
        log(f"{previews} previews and {statements} statements queued; rendering in this process")
        order = [(job, "preview") for job in preview_jobs]
        order[len(order) // 2 : len(order) // 2] = [(job, "statement") for job in statement_jobs]
        timings: dict[str, list[float]] = {"preview": [], "statement": []}
        by_pages: dict[int, list[float]] = {}
        rss_after_50 = 0.0
        began = time.perf_counter()
        for done, (job, kind) in enumerate(order, start=1):
            started = time.perf_counter()
            assert render.render_job(job.pk) == "succeeded", job.pk
            elapsed = (time.perf_counter() - started) * 1000
            timings[kind].append(elapsed)
            if kind == "preview":
                pages = RenderJob.objects.values_list("pages", flat=True).get(pk=job.pk)
                by_pages.setdefault(pages, []).append(elapsed)
            if done == 50:
                rss_after_50 = rss_mb()
        wall = time.perf_counter() - began
        connections.close_all()
    finally:
        drop_scratch_db(db_name)

    def summary(values: list[float]) -> dict[str, Any]:
        return {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(percentile(values, 0.95) or 0, 1),
            "max_ms": round(max(values), 1) if values else None,
        }

    one_page = summary(by_pages.get(1, []))
    return {
        "benchmark": "render",
        "setup": "one process, worker code path (claim, fpdf2 draw, storage, row update), scratch PostgreSQL, production settings",
        "previews": summary(timings["preview"]),
        "previews_by_pages": {str(k): summary(v) for k, v in sorted(by_pages.items())},
        "statements": summary(timings["statement"]),
        "preview_p95_ms": summary(timings["preview"])["p95_ms"],
        "preview_one_page_p95_ms": one_page["p95_ms"],
        "renders_per_s": round(len(order) / wall, 1),
        "rss_after_50_mb": rss_after_50,
        "rss_end_mb": rss_mb(),
        "peak_rss_mb": peak_rss_mb(),
        "targets_met": {"one_page_preview_p95_at_most_300_ms": (one_page["p95_ms"] or 1e9) <= 300},
        "load_average": load_average(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--previews", type=int, default=200)
    parser.add_argument("--statements", type=int, default=50)
    args = parser.parse_args()
    emit(run(args.previews, args.statements))


if __name__ == "__main__":
    main()
