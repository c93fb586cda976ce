"""Control API under /_simulator/ (README "Control API")."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from lexware.simulator import Simulator
from lexware.simulator.app import key_fingerprint
from lexware.simulator.timefmt import BERLIN, add_days
from tests.lexware.simulator.core_helpers import (
    KEY,
    client_for,
    company_contact,
    new_sim,
    voucher_body,
)


def _control(api: httpx.Client, verb: str, path: str, **body: Any) -> httpx.Response:
    return api.request(verb, f"/_simulator/{path}", json=body or None)


def _fault(api: httpx.Client, **body: Any) -> None:
    assert api.post("/_simulator/faults", json={"apiKey": KEY, **body}).status_code == 201


def test_reset_one_key_and_all(sim: Simulator, api: httpx.Client) -> None:
    api.post("/v1/contacts", json=company_contact())
    other = client_for(sim, key="other")
    other.post("/v1/contacts", json=company_contact())
    assert _control(api, "POST", "reset", apiKey=KEY).status_code == 200
    assert api.get("/v1/contacts").json()["totalElements"] == 0
    assert other.get("/v1/contacts").json()["totalElements"] == 1
    _control(api, "POST", "reset")
    assert other.get("/v1/contacts").json()["totalElements"] == 0


def test_seed_demo_per_key(api: httpx.Client) -> None:
    """Demo seed: ≥ 50 contacts, ≥ 30 articles, ≥ 40 bookkeeping vouchers with receipt files."""
    result = _control(api, "POST", "seed", apiKey=KEY, mode="demo").json()
    assert result["contacts"] >= 50 and result["articles"] >= 30 and result["vouchers"] >= 40
    page = api.get("/v1/contacts", params={"size": 250}).json()
    assert page["totalElements"] == result["contacts"]
    assert any(c.get("person") for c in page["content"]) and any(
        c.get("company") for c in page["content"]
    )
    assert any(c.get("xRechnung") for c in page["content"])
    assert api.get("/v1/profile").json()["companyName"] == "Brenner Holz & Bau GmbH"


def test_seed_is_deterministic() -> None:
    """Same seed number and key → same content."""
    names = []
    for _ in range(2):
        sim = new_sim(seed="demo", seed_number=7)
        names.append(
            [
                c["company"]["name"] if c.get("company") else c["person"]["lastName"]
                for c in client_for(sim).get("/v1/contacts", params={"size": 100}).json()["content"]
            ]
        )
    assert names[0] == names[1]


def test_public_key_pem(sim: Simulator, api: httpx.Client) -> None:
    response = api.get("/_simulator/public-key")
    assert response.status_code == 200
    assert response.content == sim.public_key_pem() and response.content.startswith(
        b"-----BEGIN PUBLIC KEY-----"
    )


def test_request_log_since_filter_and_fingerprint(api: httpx.Client) -> None:
    api.get("/v1/profile")
    mark = time.time()
    api.get("/v1/countries")
    entries = api.get("/_simulator/requests", params={"since": mark, "apiKey": KEY}).json()[
        "requests"
    ]
    assert [(e["path"], e["status"]) for e in entries] == [("/v1/countries", 200)]
    assert entries[0]["key"] == key_fingerprint(KEY)
    by_fingerprint = api.get("/_simulator/requests", params={"key": key_fingerprint(KEY)}).json()[
        "requests"
    ]
    assert len(by_fingerprint) == 2


def test_clock_advance(sim: Simulator, api: httpx.Client) -> None:
    before = sim.now()
    response = _control(api, "POST", "clock", advanceDays=30).json()
    # Whole days are Berlin calendar days (Appendix B): 30 × 24 h ± 1 h across a DST change.
    assert abs(response["offsetSeconds"] - 30 * 86400) <= 3600
    assert (sim.now().astimezone(BERLIN).date() - before.astimezone(BERLIN).date()).days == 30
    assert abs((sim.now() - add_days(before, 30)).total_seconds()) < 5
    _control(api, "POST", "clock", offsetSeconds=0)
    assert abs((sim.now() - before).total_seconds()) < 5


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("429", 429, "Rate limit exceeded"),
        ("500", 500, "Internal server error or rate limit exceeded"),
        ("503", 503, "Service Unavailable"),
    ],
)
def test_forced_errors_do_not_execute(
    sim: Simulator, api: httpx.Client, kind: str, status: int, message: str
) -> None:
    _fault(api, kind=kind, count=1)
    response = api.post("/v1/contacts", json=company_contact())
    assert response.status_code == status and response.json() == {"message": message}
    assert sim.tenant_for_key(KEY).contacts == {}
    assert api.post("/v1/contacts", json=company_contact()).status_code == 200


def test_504_after_processing(sim: Simulator, api: httpx.Client) -> None:
    """§2.1: 504 "Endpoint request timed out" — the request may still have been processed."""
    _fault(api, kind="504", count=1, method="POST")
    response = api.post("/v1/contacts", json=company_contact())
    assert response.status_code == 504 and response.json() == {
        "message": "Endpoint request timed out"
    }
    assert len(sim.tenant_for_key(KEY).contacts) == 1


def test_drop_raises_transport_error_in_process(api: httpx.Client) -> None:
    _fault(api, kind="drop", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/v1/profile")
    assert api.get("/v1/profile").status_code == 200


def test_slow_and_path_prefix(api: httpx.Client) -> None:
    _fault(api, kind="slow", count=1, delay=0.3, pathPrefix="/v1/countries")
    start = time.monotonic()
    api.get("/v1/profile")
    assert time.monotonic() - start < 0.25
    start = time.monotonic()
    api.get("/v1/countries")
    assert time.monotonic() - start >= 0.3


def test_ratio_and_clear(api: httpx.Client) -> None:
    _fault(api, kind="503", ratio=1.0)
    assert [api.get("/v1/profile").status_code for _ in range(3)] == [503, 503, 503]
    assert api.delete("/_simulator/faults", params={"apiKey": KEY}).status_code == 204
    assert api.get("/v1/profile").status_code == 200


def test_record_payment_on_bookkeeping_voucher(sim: Simulator, api: httpx.Client) -> None:
    """Control payments call ledger.record_payment: partial keeps open, full → paid."""
    voucher_id = api.post("/v1/vouchers", json=voucher_body()).json()["id"]
    partial = _control(api, "POST", "payments", apiKey=KEY, voucherId=voucher_id, amount=19.0)
    assert partial.status_code == 200, partial.text
    assert api.get(f"/v1/vouchers/{voucher_id}").json()["voucherStatus"] == "open"
    full = _control(
        api, "POST", "payments", apiKey=KEY, voucherId=voucher_id, postingDate="2026-03-05"
    )
    assert full.status_code == 200
    assert api.get(f"/v1/vouchers/{voucher_id}").json()["voucherStatus"] == "paid"
    assert _control(api, "POST", "payments", apiKey=KEY, voucherId=voucher_id).status_code == 400
    assert _control(api, "POST", "payments", apiKey=KEY, voucherId="nope").status_code == 404


def test_control_token() -> None:
    sim = new_sim(control_token="s3cret")
    client = client_for(sim)
    assert client.post("/_simulator/reset").status_code == 401
    assert (
        client.post("/_simulator/reset", headers={"X-Simulator-Token": "s3cret"}).status_code == 200
    )


def test_control_is_not_rate_limited() -> None:
    sim = new_sim(rate=1, burst=1)
    client = client_for(sim)
    assert all(client.get("/_simulator/health").status_code == 200 for _ in range(5))
