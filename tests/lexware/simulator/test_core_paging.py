"""Page envelope, size limits and the search window (lexware-api.md §4, Appendix A)."""

from __future__ import annotations

import httpx

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import KEY, article_body, company_contact


def _fill_contacts(sim: Simulator, count: int) -> None:
    tenant = sim.tenant_for_key(KEY)
    for i in range(count):
        cid = f"00000000-0000-4000-8000-{i:012d}"
        tenant.contacts[cid] = {
            "id": cid,
            "organizationId": tenant.organization_id,
            "version": 1,
            "roles": {"customer": {"number": 10000 + i}},
            "company": {"name": f"Firma {i:05d}"},
            "archived": False,
        }


def test_envelope_fields_and_defaults(sim: Simulator, api: httpx.Client) -> None:
    """§4: content, first, last, totalPages, totalElements, numberOfElements, size (default 25), number, sort."""
    _fill_contacts(sim, 30)
    page = api.get("/v1/contacts").json()
    assert set(page) == {
        "content",
        "first",
        "last",
        "totalPages",
        "totalElements",
        "numberOfElements",
        "size",
        "number",
        "sort",
    }
    assert (page["size"], page["number"], page["totalElements"], page["totalPages"]) == (
        25,
        0,
        30,
        2,
    )
    assert (page["first"], page["last"], page["numberOfElements"]) == (True, False, 25)
    assert page["sort"][0]["property"] == "name" and page["sort"][0]["direction"] == "ASC"
    second = api.get("/v1/contacts", params={"page": 1}).json()
    assert (second["first"], second["last"], second["numberOfElements"]) == (False, True, 5)


def test_contacts_size_ceiling_is_500(sim: Simulator, api: httpx.Client) -> None:
    """Appendix A: contacts allow up to 500; Appendix B: larger sizes are refused (400)."""
    _fill_contacts(sim, 3)
    assert api.get("/v1/contacts", params={"size": 500}).json()["size"] == 500
    refused = api.get("/v1/contacts", params={"size": 9999})
    assert refused.status_code == 400
    assert refused.json()["message"] == "parameter 'size' exceeds the limit"


def test_articles_refuse_size_below_25(api: httpx.Client) -> None:
    """Appendix A: articles refuse size < 25 → silently replaced; ceiling 250."""
    api.post("/v1/articles", json=article_body())
    assert api.get("/v1/articles", params={"size": 5}).json()["size"] == 25
    assert api.get("/v1/articles", params={"size": 1000}).json()["size"] == 250


def test_out_of_range_page_and_size_silently_replaced(sim: Simulator, api: httpx.Client) -> None:
    """Appendix A: out-of-range page/size are replaced, not rejected."""
    _fill_contacts(sim, 3)
    page = api.get("/v1/contacts", params={"page": -3, "size": "abc"}).json()
    assert (page["number"], page["size"]) == (0, 25)
    beyond = api.get("/v1/contacts", params={"page": 7}).json()
    assert beyond["content"] == [] and beyond["totalElements"] == 3


def test_search_window_of_10000(sim: Simulator, api: httpx.Client) -> None:
    """§4: totalElements capped at 10,000; a page beyond the window → error."""
    _fill_contacts(sim, 10_050)
    page = api.get("/v1/contacts", params={"size": 250}).json()
    assert page["totalElements"] == 10_000
    assert page["totalPages"] == 40
    response = api.get("/v1/contacts", params={"size": 250, "page": 40})
    assert response.status_code == 400
    assert "Maximum search window size exceeded" in response.text


def test_contact_list_sorted_by_name(api: httpx.Client) -> None:
    """§4 / §5.5: contacts are sorted by name, not re-sortable."""
    for name in ("Zeta GmbH", "alpha KG", "Mitte AG"):
        api.post("/v1/contacts", json=company_contact(name))
    names = [
        c["company"]["name"]
        for c in api.get("/v1/contacts", params={"sort": "name,DESC"}).json()["content"]
    ]
    assert names == ["alpha KG", "Mitte AG", "Zeta GmbH"]
