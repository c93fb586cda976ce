"""Articles endpoint (lexware-api.md §5.4, §3, Appendix A), regular error shape (§2.2)."""

from __future__ import annotations

import httpx
import pytest

from lexware.simulator.handlers.articles import gtin_valid
from tests.lexware.simulator.core_helpers import article_body, detail_fields


def _create(api: httpx.Client, **extra: object) -> str:
    response = api.post("/v1/articles", json=article_body(**extra))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_create_201_action_result_version_0(api: httpx.Client) -> None:
    """§1.4: 201 action result + Location; article samples show version 0."""
    response = api.post("/v1/articles", json=article_body())
    assert response.status_code == 201
    assert response.json()["version"] == 0
    assert response.headers["Location"].endswith(response.json()["id"])


def test_net_price_leading_computes_gross(api: httpx.Client) -> None:
    """§5.4: net 50.00 at 19 % → gross 59.50."""
    article = api.get(f"/v1/articles/{_create(api)}").json()
    assert article["price"] == {
        "netPrice": 50.0,
        "grossPrice": 59.5,
        "leadingPrice": "NET",
        "taxRate": 19,
    }
    assert article["archived"] is False and "createdDate" in article


def test_gross_price_leading_computes_net(api: httpx.Client) -> None:
    """§5.4: grossPrice required for GROSS, net computed."""
    aid = _create(api, price={"grossPrice": 119.0, "leadingPrice": "GROSS", "taxRate": 19})
    assert api.get(f"/v1/articles/{aid}").json()["price"]["netPrice"] == 100.0


def test_leading_price_value_required(api: httpx.Client) -> None:
    """§5.4: netPrice required when leadingPrice is NET."""
    response = api.post(
        "/v1/articles", json=article_body(price={"leadingPrice": "NET", "taxRate": 19})
    )
    assert response.status_code == 406
    assert detail_fields(response) == ["price.netPrice"]
    assert response.json()["details"][0]["violation"] == "NOTNULL"


@pytest.mark.parametrize("field", ["title", "type", "unitName", "price"])
def test_required_fields(api: httpx.Client, field: str) -> None:
    """§5.4: title, type, unitName, price required → 406 regular error."""
    body = article_body()
    del body[field]
    response = api.post("/v1/articles", json=body)
    assert response.status_code == 406
    assert field in detail_fields(response)


def test_type_must_be_uppercase_enum(api: httpx.Client) -> None:
    """§5.4: type PRODUCT or SERVICE (uppercase)."""
    assert api.post("/v1/articles", json=article_body(type="service")).status_code == 406


def test_tax_rate_0_7_19_only(api: httpx.Client) -> None:
    """§5.4 / §8.4: articles accept 0, 7, 19."""
    assert (
        api.post(
            "/v1/articles",
            json=article_body(price={"netPrice": 1, "leadingPrice": "NET", "taxRate": 16}),
        ).status_code
        == 406
    )


@pytest.mark.parametrize(
    ("gtin", "valid"),
    [
        ("4006381333931", True),
        ("4006381333932", False),
        ("96385074", True),
        ("036000291452", True),
        ("12345", False),
        ("10012345678902", True),
        ("abcdefgh", False),
    ],
)
def test_gtin_validation(api: httpx.Client, gtin: str, valid: bool) -> None:
    """§5.4 / §8.5: GTIN-8/12/13/14 validated (check digit)."""
    assert gtin_valid(gtin) is valid
    assert api.post("/v1/articles", json=article_body(gtin=gtin)).status_code == (
        201 if valid else 406
    )


def test_put_replaces_and_stale_version_409(api: httpx.Client) -> None:
    """§3 / Appendix A: PUT replaces, version +1; a stale version → 409."""
    aid = _create(api, note="intern")
    current = api.get(f"/v1/articles/{aid}").json()
    response = api.put(
        f"/v1/articles/{aid}", json=article_body(title="Neu", version=current["version"])
    )
    assert response.status_code == 200
    after = api.get(f"/v1/articles/{aid}").json()
    assert (after["title"], after["version"], after["note"]) == ("Neu", 1, None)
    stale = api.put(f"/v1/articles/{aid}", json=article_body(version=0))
    assert stale.status_code == 409
    assert stale.json()["status"] == 409 and "traceId" in stale.json()


def test_delete_204_then_404(api: httpx.Client) -> None:
    """§5.4 / Appendix A: DELETE → 204, then 404."""
    aid = _create(api)
    assert api.delete(f"/v1/articles/{aid}").status_code == 204
    assert api.get(f"/v1/articles/{aid}").status_code == 404
    assert api.delete(f"/v1/articles/{aid}").status_code == 404


def test_filters_article_number_gtin_type_combine(api: httpx.Client) -> None:
    """§5.4: articleNumber, gtin, type filters combine with AND."""
    _create(api, articleNumber="A-1", type="PRODUCT", gtin="4006381333931")
    _create(api, articleNumber="A-2", type="SERVICE")
    assert api.get("/v1/articles", params={"articleNumber": "A-1"}).json()["totalElements"] == 1
    assert api.get("/v1/articles", params={"articleNumber": "nope"}).json()["content"] == []
    assert api.get("/v1/articles", params={"gtin": "4006381333931"}).json()["totalElements"] == 1
    assert (
        api.get("/v1/articles", params={"type": "SERVICE"}).json()["content"][0]["articleNumber"]
        == "A-2"
    )
    assert (
        api.get("/v1/articles", params={"type": "SERVICE", "articleNumber": "A-1"}).json()[
            "totalElements"
        ]
        == 0
    )


def test_filter_only_once(api: httpx.Client) -> None:
    """§5.4: each filter at most once."""
    assert api.get("/v1/articles?type=PRODUCT&type=SERVICE").status_code == 400


def test_default_sort_title_asc(api: httpx.Client) -> None:
    """§4: articles default sort title ASC."""
    for title in ("Zange", "Akku", "Maßband"):
        _create(api, title=title)
    page = api.get("/v1/articles").json()
    assert [a["title"] for a in page["content"]] == ["Akku", "Maßband", "Zange"]
    assert page["sort"][0]["property"] == "title"
