"""Scale seed with its own contact count (README "Scale seed"): --scale-contacts / `contacts`."""

from __future__ import annotations

import httpx

from lexware.simulator import Simulator
from lexware.simulator.__main__ import parse_args
from tests.lexware.simulator.core_helpers import KEY, client_for, new_sim


def test_control_seed_takes_a_separate_contact_count(api: httpx.Client) -> None:
    result = api.post(
        "/_simulator/seed", json={"apiKey": KEY, "mode": "scale", "size": 400, "contacts": 30}
    ).json()
    assert result["contacts"] == 30
    assert result["vouchers"] + result["salesVouchers"] == 400
    assert api.get("/v1/contacts", params={"size": 500}).json()["totalElements"] == 30


def test_control_seed_size_alone_still_seeds_as_many_contacts() -> None:
    sim: Simulator = new_sim(scale_contacts=5)
    api = client_for(sim)
    result = api.post("/_simulator/seed", json={"apiKey": KEY, "mode": "scale", "size": 120}).json()
    assert result["contacts"] == 120


def test_first_use_seeds_the_configured_contact_count() -> None:
    sim: Simulator = new_sim(seed="scale", scale_size=200, scale_contacts=12)
    tenant = sim.tenant_for_key("first-use-key")
    assert len(tenant.contacts) == 12
    assert len(tenant.vouchers) + len(tenant.sales) == 200


def test_cli_option_defaults_to_none_and_parses() -> None:
    assert parse_args([]).scale_contacts is None
    assert parse_args(["--scale-contacts", "2000"]).scale_contacts == 2000
