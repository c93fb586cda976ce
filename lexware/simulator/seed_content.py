"""Demo and scale content for seed.py (filled in below)."""

from __future__ import annotations

import random
from datetime import datetime

from lexware.simulator.seed_base import new_tenant
from lexware.simulator.state import Tenant


def demo(rng: random.Random, ids: random.Random, now: datetime) -> Tenant:
    return new_tenant(ids, now, "Brenner Holz & Bau GmbH")


def scale(rng: random.Random, ids: random.Random, now: datetime, size: int) -> Tenant:
    return new_tenant(ids, now, "Skalierung Test GmbH")
