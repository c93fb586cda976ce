"""Building blocks shared by the seed modules: a fresh organisation with reference data."""

from __future__ import annotations

import importlib
import random
import uuid
from datetime import datetime
from typing import Any

from lexware.simulator import reference_data
from lexware.simulator.state import Tenant
from lexware.simulator.timefmt import add_days, format_datetime


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def new_tenant(rng: random.Random, now: datetime, company_name: str) -> Tenant:
    organization_id = new_uuid(rng)
    connection_id = new_uuid(rng)
    tenant = Tenant(
        organization_id=organization_id, connection_id=connection_id, company_name=company_name
    )
    tenant.profile = {
        "organizationId": organization_id,
        "companyName": company_name,
        "created": {
            "userId": new_uuid(rng),
            "userName": "Frau Katrin Brenner",
            "userEmail": "katrin.brenner@example.org",
            "date": format_datetime(add_days(now, -800)),
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
