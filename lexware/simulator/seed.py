"""Seed data per organisation (deterministic from `seed_number`).

* ``empty`` — profile and reference data only.
* ``demo``  — a plausible German small business: contacts, articles, bookkeeping vouchers with
  receipt files, then the sales documents of `sales_seed.seed_demo_sales` when available.
* ``scale`` — N vouchers (half bookkeeping, half sales) and N contacts (or ``contacts``) built as
  plain dicts.
"""

from __future__ import annotations

import random
from datetime import datetime

from lexware.simulator.seed_base import new_tenant
from lexware.simulator.seed_content import demo, scale
from lexware.simulator.state import Tenant

MODES = ("empty", "demo", "scale")


def build_tenant(
    mode: str,
    *,
    seed_number: int,
    now: datetime,
    size: int = 1000,
    contacts: int | None = None,
    salt: str = "",
) -> Tenant:
    """Content comes from `random.Random(seed_number)`; ids from a second generator salted with
    the key's fingerprint, so that two organisations seeded alike never share resource ids."""
    if mode not in MODES:
        raise ValueError(f"unknown seed mode {mode!r}; one of {', '.join(MODES)}")
    rng = random.Random(seed_number)
    ids = random.Random(f"{seed_number}:{salt}")
    if mode == "empty":
        return new_tenant(ids, now, "Neue Firma GmbH")
    if mode == "demo":
        return demo(rng, ids, now)
    return scale(rng, ids, now, size, contacts=size if contacts is None else contacts)
