"""Gateway behaviour of the simulator: auth, routing errors, content types, rate limit (§1, §2, App. A)."""

from __future__ import annotations

import hashlib

import httpx

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import KEY, client_for, company_contact, new_sim


def test_missing_key_is_401_unauthorized(sim: Simulator) -> None:
    """§1.2 / §2.1(a): no token → 401 {"message": "Unauthorized"}."""
    response = client_for(sim, key=None).get("/v1/profile")
    assert response.status_code == 401
    assert response.json() == {"message": "Unauthorized"}


def test_malformed_authorization_header_is_401(sim: Simulator) -> None:
    """§2.1(a): malformed header → 401."""
    client = client_for(sim, key=None, Authorization="Basic abc")
    assert client.get("/v1/profile").status_code == 401
    assert client_for(sim, key=None, Authorization="Bearer ").get("/v1/profile").status_code == 401


def test_configured_keys_reject_others() -> None:
    """Simulator(api_keys=...) → unknown keys get 401 (§1.2 invalid key)."""
    simulator = new_sim(api_keys=["good"])
    assert client_for(simulator, key="good").get("/v1/profile").status_code == 200
    assert client_for(simulator, key="bad").get("/v1/profile").status_code == 401


def test_each_key_is_its_own_organization(sim: Simulator) -> None:
    """Any non-empty key is accepted; each is its own tenant (README)."""
    one = client_for(sim, key="one").get("/v1/profile").json()["organizationId"]
    two = client_for(sim, key="two").get("/v1/profile").json()["organizationId"]
    assert one != two
    client_for(sim, key="one").post("/v1/contacts", json=company_contact())
    assert client_for(sim, key="two").get("/v1/contacts").json()["totalElements"] == 0


def test_unknown_route_is_403_gateway_message(api: httpx.Client) -> None:
    """§2.1(a): unknown resource → 403 with the AWS key=value message."""
    response = api.get("/v1/invoice")
    assert response.status_code == 403
    assert response.json() == {
        "message": f"'{KEY}' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer {KEY}'."
    }


def test_routes_the_real_api_lacks(api: httpx.Client) -> None:
    """Appendix A: no GET /v1/payments, no /finalize, no contact DELETE, no file listing;
    Appendix B measured 404 for contact DELETE and the file listing (test_fidelity_routes.py)."""
    assert api.get("/v1/payments").status_code in (403, 405)
    assert api.post("/v1/invoices/abc/finalize", json={}).status_code == 403
    assert api.delete("/v1/contacts/abc").status_code == 404
    assert api.get("/v1/files").status_code == 404
    assert api.get("/v1/vouchers/abc/files").status_code == 405


def test_put_on_sales_voucher_is_404(api: httpx.Client) -> None:
    """§2.1 note / §3: PUT /v1/invoices/{id} was observed to answer 404."""
    assert api.put("/v1/invoices/3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11", json={}).status_code == 404


def test_wrong_method_on_known_path_is_405(api: httpx.Client) -> None:
    """§2.3: 405 method not allowed on the resource."""
    response = api.delete("/v1/profile")
    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_post_without_json_content_type_is_415(api: httpx.Client) -> None:
    """§1.3 / §2.3: missing or other Content-Type on POST/PUT → 415."""
    response = api.post("/v1/articles", content=b"title=x", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert api.post("/v1/articles", content=b"{}").status_code == 415


def test_trailing_slash_is_tolerated(api: httpx.Client) -> None:
    """Appendix A: tolerate trailing slashes."""
    assert api.get("/v1/countries/").status_code == 200


def test_rate_limit_429_body_and_no_state_change() -> None:
    """§1.5 + Appendix A: token bucket 2/s, burst 2; 429 {"message": "Rate limit exceeded"}; not executed."""
    simulator = new_sim(rate=2, burst=2)
    client = client_for(simulator)
    statuses = [
        client.post("/v1/contacts", json=company_contact(f"Firma {i}")).status_code
        for i in range(5)
    ]
    assert statuses[:2] == [200, 200]
    assert 429 in statuses[2:]
    limited = client.post("/v1/contacts", json=company_contact("Zu schnell"))
    assert limited.status_code == 429
    assert limited.json() == {"message": "Rate limit exceeded"}
    tenant = simulator.tenant_for_key(KEY)
    assert len(tenant.contacts) == statuses.count(200)


def test_rate_limit_is_per_key() -> None:
    """§1.5: the bucket is per API key."""
    simulator = new_sim(rate=1, burst=1)
    assert client_for(simulator, key="a").get("/v1/profile").status_code == 200
    assert client_for(simulator, key="a").get("/v1/profile").status_code == 429
    assert client_for(simulator, key="b").get("/v1/profile").status_code == 200


def test_request_log_shows_fingerprint_not_key(sim: Simulator, api: httpx.Client) -> None:
    """Control request log: key shown as sha256[:16] only."""
    api.get("/v1/profile")
    entry = sim.request_log[-1]
    assert entry["key"] == hashlib.sha256(KEY.encode()).hexdigest()[:16]
    assert KEY not in str(entry)
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/v1/profile", 200)


def test_head_request_has_no_body(api: httpx.Client) -> None:
    response = api.head("/v1/profile")
    assert response.status_code == 200
    assert response.content == b""
