"""Realistic mirror data for page benchmarks, and a by-hand measurement of the browse pages.

`fill_mirror(organization, n)` bulk-creates n Document rows (every voucherlist type, statuses,
five years of dates, varied amounts) and n/50 contacts they belong to. The lead's pages
benchmark imports it. Run by hand against PostgreSQL:

    createdb -h 127.0.0.1 -U postgres pages_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pages_bench DJANGO_SETTINGS_MODULE=tests.settings \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pages_bench DJANGO_SETTINGS_MODULE=tests.settings \
        .venv/bin/python -m benchmarks.pages_data --rows 100000

It prints one JSON line: p50/p95 milliseconds per page (selector + template render, through
the test client with a logged-in member) for the default list, a search and filtered lists.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

BATCH = 2000
# Share of each voucher type in a typical small business's voucherlist.
TYPE_WEIGHTS = {
    "invoice": 52,
    "quotation": 10,
    "creditnote": 4,
    "orderconfirmation": 5,
    "deliverynote": 5,
    "downpaymentinvoice": 2,
    "dunning": 2,
    "salesinvoice": 5,
    "salescreditnote": 1,
    "purchaseinvoice": 13,
    "purchasecreditnote": 1,
}
STATUSES = {
    "invoice": {
        "paid": 70,
        "open": 12,
        "overdue": 6,
        "draft": 6,
        "voided": 3,
        "sepadebit": 2,
        "transferred": 1,
    },
    "downpaymentinvoice": {"paid": 80, "open": 15, "draft": 5},
    "creditnote": {"paidoff": 70, "open": 20, "draft": 5, "voided": 5},
    "quotation": {"open": 40, "accepted": 35, "rejected": 15, "draft": 10},
    "orderconfirmation": {"open": 85, "draft": 15},
    "deliverynote": {"open": 85, "draft": 15},
    "dunning": {"draft": 100},
    "salesinvoice": {"paid": 75, "open": 20, "unchecked": 5},
    "salescreditnote": {"paidoff": 80, "open": 20},
    "purchaseinvoice": {"paid": 70, "open": 20, "unchecked": 8, "voided": 2},
    "purchasecreditnote": {"paidoff": 80, "open": 20},
}
NUMBER_PREFIX = {
    "invoice": "RE",
    "downpaymentinvoice": "RE",
    "creditnote": "GS",
    "quotation": "AG",
    "orderconfirmation": "AB",
    "deliverynote": "LS",
    "dunning": "",
    "salesinvoice": "EB",
    "salescreditnote": "EG",
    "purchaseinvoice": "ER",
    "purchasecreditnote": "EG",
}
NAME_FIRST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
]
NAME_TRADE = [
    "Bau",
    "Elektro",
    "Sanitär",
    "Dach",
    "Garten",
    "Druck",
    "Holz",
    "Metall",
    "Reinigung",
    "Transport",
    "Software",
    "Beratung",
    "Catering",
    "Fliesen",
    "Maler",
    "Kfz",
    "Optik",
    "Büro",
    "Papier",
    "Glas",
]
NAME_FORM = ["GmbH", "KG", "AG", "GmbH & Co. KG", "e.K.", "OHG", "UG"]
CITIES = [
    "Hamburg",
    "Berlin",
    "München",
    "Köln",
    "Frankfurt",
    "Stuttgart",
    "Leipzig",
    "Dresden",
    "Bremen",
    "Kiel",
]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def fill_mirror(organization: Any, n: int, *, seed: int = 2026) -> dict[str, int]:
    """Bulk-create n documents and n/50 contacts for `organization`; returns the counts."""
    from django.utils import timezone

    from portal.contacts.models import Contact
    from portal.core.mirror import normalise_search
    from portal.documents.models import Document
    from portal.sync.models import SyncPart

    rng = random.Random(seed)
    now = timezone.now()
    contacts: list[Contact] = []
    for index in range(max(1, n // 50)):
        name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_TRADE)} {rng.choice(NAME_FORM)}"
        if index % 7 == 0:
            name = f"{name} {index}"  # some near-duplicates, as in real customer lists
        customer = 10000 + index if index % 5 else None
        vendor = 70000 + index if customer is None or index % 11 == 0 else None
        email = f"info@{name.split()[0].lower()}-{index}.example"
        city = rng.choice(CITIES)
        contacts.append(
            Contact(
                organization=organization,
                lexware_id=uuid.uuid4(),
                version=1,
                synced_at=now,
                name=name,
                is_company=True,
                is_customer=customer is not None,
                is_vendor=vendor is not None,
                customer_number=customer,
                vendor_number=vendor,
                email=email,
                city=city,
                country_code="DE",
                raw={"id": "", "company": {"name": name}},
                search_text=normalise_search(name, customer, vendor, email, city),
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=BATCH)

    counters: dict[str, int] = dict.fromkeys(TYPE_WEIGHTS, 0)
    batch: list[Document] = []
    start = now - timedelta(days=5 * 365)
    for _ in range(n):
        voucher_type = _pick(rng, TYPE_WEIGHTS)
        status = _pick(rng, STATUSES[voucher_type])
        counters[voucher_type] += 1
        contact = rng.choice(contacts)
        voucher_date: datetime = start + timedelta(days=rng.uniform(0, 5 * 365))
        if status in ("open", "overdue"):
            voucher_date = now - timedelta(days=rng.uniform(0, 90))
        total = Decimal(str(round(rng.lognormvariate(6, 1.2), 2)))
        open_amount: Decimal | None = None
        if (
            voucher_type in ("invoice", "downpaymentinvoice", "creditnote")
            or voucher_type in STATUSES["purchaseinvoice"]
        ):
            open_amount = total if status in ("open", "overdue", "sepadebit") else Decimal("0")
        prefix = NUMBER_PREFIX[voucher_type]
        number = f"{prefix}{counters[voucher_type]:05d}" if prefix else ""
        batch.append(
            Document(
                organization=organization,
                lexware_id=uuid.uuid4(),
                synced_at=now,
                voucher_type=voucher_type,
                status=status,
                voucher_number=number,
                voucher_date=voucher_date,
                due_date=voucher_date + timedelta(days=14) if voucher_type != "quotation" else None,
                contact_lexware_id=contact.lexware_id,
                contact_name=contact.name,
                total_amount=total,
                open_amount=open_amount,
                currency="EUR",
                lexware_created_at=voucher_date,
                lexware_updated_at=voucher_date,
                search_text=normalise_search(number, contact.name),
            )
        )
        if len(batch) >= BATCH:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)
    # As after a completed sync: every list page's "data as of" comes from here.
    for name in (SyncPart.Name.CONTACTS, SyncPart.Name.ARTICLES, SyncPart.Name.VOUCHERLIST):
        SyncPart.objects.update_or_create(
            organization=organization,
            name=name,
            defaults={
                "status": SyncPart.Status.DONE,
                "done": n,
                "total": n,
                "started_at": now,
                "finished_at": now,
            },
        )
    return {"documents": n, "contacts": len(contacts)}


def _measure(
    client: Any,
    path: str,
    params: dict[str, str],
    repeat: int,
    headers: dict[str, str] | None = None,
    *,
    cold_count: bool = False,
) -> dict[str, float]:
    """p50/p95 of GETs; with cold_count the cached row counts are dropped before each request."""
    from django.core.cache import cache

    timings = []
    for _ in range(repeat):
        if cold_count:
            cache.clear()
        began = time.perf_counter()
        response = client.get(path, params, headers=headers or {})
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, params, response.status_code)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from portal.accounts.models import User
    from portal.documents.models import Document
    from portal.organizations.models import Membership, Organization, Role

    slug = f"bench-{args.rows}"
    organization = Organization.objects.filter(slug=slug).first()
    filled = None
    if organization is None:
        organization = Organization.objects.create(name="Benchmark GmbH", slug=slug)
        began = time.perf_counter()
        filled = fill_mirror(organization, args.rows)
        filled["fill_seconds"] = round(time.perf_counter() - began, 1)  # type: ignore[assignment]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does soon after a bulk load: statistics and visibility map.
                cursor.execute("VACUUM ANALYZE")
    user = User.objects.filter(email=f"{slug}@example.org").first() or User.objects.create_user(
        f"{slug}@example.org", "bench-password-123", full_name="Bench"
    )
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.VIEWER}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    documents = reverse("documents:list", kwargs={"org_slug": slug})
    contacts = reverse("contacts:list", kwargs={"org_slug": slug})
    some = (
        Document.objects.filter(organization=organization, voucher_type="invoice")
        .only("contact_lexware_id")
        .first()
    )
    htmx = {"HX-Request": "true"}
    figures = {
        "database": connection.vendor,
        "rows": Document.objects.filter(organization=organization).count(),
        "filled": filled,
        "documents_default": _measure(client, documents, {}, args.repeat),
        "documents_default_cold_count": _measure(
            client, documents, {}, args.repeat, cold_count=True
        ),
        "documents_search_name_cold_count": _measure(
            client, documents, {"q": "schmidt"}, args.repeat, htmx, cold_count=True
        ),
        "documents_search_name": _measure(
            client, documents, {"q": "müller bau"}, args.repeat, htmx
        ),
        "documents_search_number": _measure(client, documents, {"q": "re01234"}, args.repeat, htmx),
        "documents_overdue_invoices": _measure(
            client, documents, {"type": "invoice", "status": "overdue"}, args.repeat, htmx
        ),
        "documents_year_by_total": _measure(
            client,
            documents,
            {"date_from": "2025-01-01", "date_to": "2025-12-31", "sort": "-total"},
            args.repeat,
            htmx,
        ),
        "documents_of_contact": _measure(
            client,
            documents,
            {"contact": str(some.contact_lexware_id) if some else ""},
            args.repeat,
            htmx,
        ),
        "documents_page_40": _measure(client, documents, {"page": "40"}, args.repeat, htmx),
        "contacts_search": _measure(client, contacts, {"q": "schmidt"}, args.repeat, htmx),
        "contacts_number": _measure(client, contacts, {"q": "10042"}, args.repeat, htmx),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
