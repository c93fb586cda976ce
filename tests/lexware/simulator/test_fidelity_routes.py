"""Issue 17, item 5: routes that do not exist answer as measured.

Source: lexware-api.md Appendix B "Paging and routes": `GET /v1/invoices`, `/v1/quotations`,
`/v1/files`, `/v1/bank-accounts`, `/v1/transactions`, `DELETE /v1/contacts/{id}`,
`DELETE /v1/vouchers/{id}`, `/v1/vouchers/{id}/document|file` → 404; OPTIONS is not answered.
§2.1's 403 gateway body stays for unknown paths nobody measured (configurable, Appendix A).
"""

from __future__ import annotations

import httpx
import pytest

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import client_for, company_contact, new_sim, voucher_body

ID = "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/invoices"),
        ("GET", "/v1/invoices/"),
        ("GET", "/v1/quotations"),
        ("GET", "/v1/files"),
        ("GET", "/v1/bank-accounts"),
        ("GET", "/v1/transactions"),
        ("GET", f"/v1/vouchers/{ID}/document"),
        ("GET", f"/v1/vouchers/{ID}/file"),
        ("OPTIONS", "/v1/contacts"),
        ("OPTIONS", "/v1/invoices"),
    ],
)
def test_measured_routes_answer_404(api: httpx.Client, method: str, path: str) -> None:
    """Appendix B: 404 (regular error object, as the §2.1 sales PUT 404), not 403 or 405."""
    response = api.request(method, path)
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert "allow" not in response.headers


def test_delete_on_contacts_and_vouchers_is_404_and_deletes_nothing(api: httpx.Client) -> None:
    """Appendix B: `DELETE /v1/contacts/{id}` and `DELETE /v1/vouchers/{id}` → 404; the
    resources stay (there is no DELETE, §5.0)."""
    contact = api.post("/v1/contacts", json=company_contact()).json()["id"]
    voucher = api.post("/v1/vouchers", json=voucher_body()).json()["id"]
    assert api.delete(f"/v1/contacts/{contact}").status_code == 404
    assert api.delete(f"/v1/vouchers/{voucher}").status_code == 404
    assert api.get(f"/v1/contacts/{contact}").status_code == 200
    assert api.get(f"/v1/vouchers/{voucher}").status_code == 200


def test_measured_404_needs_a_valid_key(sim: Simulator) -> None:
    """The 404 comes from behind the gateway: without a key the gateway answers 401 first."""
    anonymous = client_for(sim, key=None)
    assert anonymous.get("/v1/invoices").status_code == 401


def test_unmeasured_unknown_routes_keep_403_and_are_configurable(api: httpx.Client) -> None:
    """§2.1: an unknown path nobody measured keeps the gateway 403; `unknown_route_status=404`
    turns every unknown route into 404 (Appendix A: "make the behaviour configurable")."""
    assert api.get("/v1/ping").status_code == 403
    sim = new_sim(unknown_route_status=404)
    client = client_for(sim)
    assert client.get("/v1/ping").status_code == 404
    assert client.delete("/v1/profile").status_code == 405  # known path, wrong method
    with pytest.raises(ValueError, match="403 or 404"):
        new_sim(unknown_route_status=400)
