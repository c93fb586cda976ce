"""Reference data and profile (lexware-api.md §5.6, §5.16-5.19)."""

from __future__ import annotations

import httpx


def test_countries_bare_array_with_tax_classification(api: httpx.Client) -> None:
    """§5.6: array of {countryCode, countryNameDE, countryNameEN, taxClassification}."""
    countries = api.get("/v1/countries").json()
    assert isinstance(countries, list)
    by_code = {c["countryCode"]: c for c in countries}
    assert by_code["DE"]["taxClassification"] == "de"
    assert by_code["AT"]["taxClassification"] == "intraCommunity"
    assert by_code["FR"]["taxClassification"] == "intraCommunity"
    assert by_code["CH"]["taxClassification"] == "thirdPartyCountry"
    assert {"ES_CN", "GR_69", "NL", "US"} <= set(by_code)
    assert sum(c["taxClassification"] == "intraCommunity" for c in countries) == 26
    assert all(
        set(c) == {"countryCode", "countryNameDE", "countryNameEN", "taxClassification"}
        for c in countries
    )


def test_payment_conditions_exactly_one_default(api: httpx.Client) -> None:
    """§5.16: exactly one entry has organizationDefault true."""
    conditions = api.get("/v1/payment-conditions").json()
    assert sum(c["organizationDefault"] for c in conditions) == 1
    assert all(
        {"id", "paymentTermLabelTemplate", "paymentTermDuration"} <= set(c) for c in conditions
    )


def test_posting_categories_documented_ids(api: httpx.Client) -> None:
    """§5.17: documented income ids present; outgo categories exist."""
    categories = api.get("/v1/posting-categories").json()
    by_id = {c["id"]: c for c in categories}
    assert by_id["8f8664a8-fd86-11e1-a21f-0800200c9a66"]["name"] == "Warenverkäufe"
    assert by_id["f5c7fee8-f184-4e7a-ab04-8f7e7ad6c207"]["type"] == "income"
    assert by_id["16d04a28-fd91-11e1-a21f-0800200c9a66"]["type"] == "outgo"
    assert all(
        set(c) == {"id", "name", "type", "contactRequired", "splitAllowed", "groupName"}
        for c in categories
    )


def test_print_layouts_one_default(api: httpx.Client) -> None:
    """§5.18: array of {id, name, default}."""
    layouts = api.get("/v1/print-layouts").json()
    assert sum(layout["default"] for layout in layouts) == 1


def test_profile_shape(api: httpx.Client) -> None:
    """§5.19: profile fields; regular family; no private keys leak."""
    profile = api.get("/v1/profile").json()
    assert {
        "organizationId",
        "companyName",
        "created",
        "connectionId",
        "businessFeatures",
        "taxType",
        "distanceSalesPrinciple",
        "smallBusiness",
    } <= set(profile)
    assert profile["taxType"] in ("net", "gross", "vatfree")
    assert not any(key.startswith("_") for key in profile)
