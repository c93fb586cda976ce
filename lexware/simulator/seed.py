"""Seed data per organisation (deterministic from `seed_number`).

* ``empty`` — profile and reference data only.
* ``demo``  — a plausible German small business: contacts, articles, bookkeeping vouchers with
  receipt files, then the sales documents of `sales_seed.seed_demo_sales` when available.
* ``scale`` — N contacts and N vouchers (half bookkeeping, half sales) built as plain dicts.
"""

from __future__ import annotations

import importlib
import random
import uuid
from datetime import datetime, timedelta
from typing import Any

from lexware.simulator import reference_data
from lexware.simulator.state import Tenant
from lexware.simulator.timefmt import format_datetime

MODES = ("empty", "demo", "scale")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_tenant(rng: random.Random, now: datetime, company_name: str) -> Tenant:
    organization_id = _uuid(rng)
    connection_id = _uuid(rng)
    tenant = Tenant(organization_id=organization_id, connection_id=connection_id, company_name=company_name)
    tenant.profile = {
        "organizationId": organization_id,
        "companyName": company_name,
        "created": {
            "userId": _uuid(rng),
            "userName": "Frau Katrin Brenner",
            "userEmail": "katrin.brenner@example.org",
            "date": format_datetime(now - timedelta(days=800)),
        },
        "connectionId": connection_id,
        "features": ["cashbox"],
        "businessFeatures": ["INVOICING", "INVOICING_PRO", "BOOKKEEPING"],
        "subscriptionStatus": "active",
        "taxType": "net",
        "distanceSalesPrinciple": "ORIGIN",
        "smallBusiness": False,
    }
    tenant.countries = reference_data.countries()
    tenant.payment_conditions = reference_data.payment_conditions()
    tenant.posting_categories = reference_data.posting_categories()
    tenant.print_layouts = reference_data.print_layouts()
    return tenant


def optional_module(name: str) -> Any:
    """The other half of the simulator (sales documents) may not exist yet."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None


def build_tenant(mode: str, *, seed_number: int, now: datetime, size: int = 1000, salt: str = "") -> Tenant:
    """Content comes from `random.Random(seed_number)`; ids from a second generator salted with
    the key's fingerprint, so that two organisations seeded alike never share resource ids."""
    if mode not in MODES:
        raise ValueError(f"unknown seed mode {mode!r}; one of {', '.join(MODES)}")
    rng = random.Random(seed_number)
    ids = random.Random(f"{seed_number}:{salt}")
    if mode == "empty":
        return new_tenant(ids, now, "Neue Firma GmbH")
    from lexware.simulator import seed_content

    if mode == "demo":
        return seed_content.demo(rng, ids, now)
    return seed_content.scale(rng, ids, now, size)
