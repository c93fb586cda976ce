"""Issue 17, item 6: reference data with a source, and the ids public clients hard-code.

Source: lexware-api.md Appendix B "Reference data" (live: 257 countries, 231 posting
categories; hard-coded ids `8f8664a8-…` revenue 19 %, `aba9020f-…` a 0 % category), §5.6,
§5.17. What is not available here (the rest of both live lists, Lexware's names) is listed in
lexware/simulator/README.md "Reference data".
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from lexware.simulator.data_countries import ISO_3166_1
from tests.lexware.simulator.core_helpers import voucher_body

REVENUE_19 = "8f8664a8-fd86-11e1-a21f-0800200c9a66"
ZERO_RATE = "aba9020f-d0a6-47ca-ace6-03d6ed492351"
ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")


def test_hard_coded_category_ids_resolve(api: httpx.Client) -> None:
    """Appendix B: the ids public clients hard-code are listed and usable on vouchers."""
    by_id = {c["id"]: c for c in api.get("/v1/posting-categories").json()}
    assert by_id[REVENUE_19]["type"] == "income" and by_id[ZERO_RATE]["type"] == "income"
    # Baebeca's live test: a salesinvoice with 19 %, 7 % and a 0 % rounding line on aba9020f.
    items = [
        {"amount": 37.79, "taxAmount": 7.18, "taxRatePercent": 19, "categoryId": REVENUE_19},
        {"amount": 83.14, "taxAmount": 5.82, "taxRatePercent": 7, "categoryId": REVENUE_19},
        {"amount": 0.07, "taxAmount": 0, "taxRatePercent": 0, "categoryId": ZERO_RATE},
    ]
    body = voucher_body(
        taxType="net", totalGrossAmount=134.0, totalTaxAmount=13.0, voucherItems=items
    )
    response = api.post("/v1/vouchers", json=body)
    assert response.status_code == 201, response.text


def test_every_category_has_a_documented_source(api: httpx.Client) -> None:
    """§5.17 + Appendix B: no invented categories: exactly the documented income ids, the
    hard-coded 0 % id and §5.17's purchase sample id."""
    categories = api.get("/v1/posting-categories").json()
    documented_income = {
        "8f8664a8-fd86-11e1-a21f-0800200c9a66",
        "8f8664a0-fd86-11e1-a21f-0800200c9a66",
        "8f8664a1-fd86-11e1-a21f-0800200c9a66",
        "9075a4e3-66de-4795-a016-3889feca0d20",
        "380a20cb-d04c-426e-b49c-84c22adfa362",
        "93d24c20-ea84-424e-a731-5e1b78d1e6a9",
        "ef5b1a6e-f690-4004-9a19-91276348894f",
        "f5c7fee8-f184-4e7a-ab04-8f7e7ad6c207",
        "7c112b66-0565-479c-bc18-5845e080880a",
        "d73b880f-c24a-41ea-a862-18d90e1c3d82",
        "4ebd965a-7126-416c-9d8c-a5c9366ee473",
        "7ecea006-844c-4c98-a02d-aa3142640dd5",
    }
    assert {c["id"] for c in categories if c["type"] == "income"} == documented_income | {ZERO_RATE}
    assert {c["id"] for c in categories if c["type"] == "outgo"} == {
        "16d04a28-fd91-11e1-a21f-0800200c9a66"
    }


def test_countries_are_iso_3166_plus_the_documented_special_regions(api: httpx.Client) -> None:
    """§5.6: ISO 3166 alpha-2 plus the special tax regions it names (ES_CN, GR_69)."""
    countries = api.get("/v1/countries").json()
    codes = [c["countryCode"] for c in countries]
    assert len(codes) == len(set(codes)) == 249 + 2
    assert {"ES_CN", "GR_69"} <= set(codes)
    by_code = {c["countryCode"]: c for c in countries}
    assert by_code["DE"]["taxClassification"] == "de"
    assert sum(c["taxClassification"] == "intraCommunity" for c in countries) == 26
    assert by_code["GB"]["taxClassification"] == "thirdPartyCountry"  # not EU since 2020
    assert (by_code["CZ"]["countryNameDE"], by_code["CZ"]["countryNameEN"]) == (
        "Tschechien",
        "Czechia",
    )


@pytest.mark.skipif(not ISO_JSON.exists(), reason="Debian iso-codes not installed")
def test_country_data_file_matches_its_source() -> None:
    """The generated data file is exactly the ISO 3166-1 list of its source (Debian iso-codes)."""
    source = json.loads(ISO_JSON.read_text(encoding="utf-8"))["3166-1"]
    assert [code for code, _, _ in ISO_3166_1] == sorted(entry["alpha_2"] for entry in source)
    english = {entry["alpha_2"]: entry.get("common_name") or entry["name"] for entry in source}
    assert all(english[code] == name_en for code, _, name_en in ISO_3166_1)


def test_contacts_accept_every_listed_country(api: httpx.Client) -> None:
    """§5.5: contact country codes come from `/v1/countries` (e.g. ES_CN and any ISO code)."""
    for code in ("ES_CN", "GR_69", "AQ", "VA"):
        body = {
            "version": 0,
            "roles": {"customer": {}},
            "company": {"name": f"Firma {code}"},
            "addresses": {"billing": [{"city": "X", "countryCode": code}]},
        }
        assert api.post("/v1/contacts", json=body).status_code == 200, code
