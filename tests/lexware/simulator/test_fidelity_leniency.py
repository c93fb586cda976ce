"""Issue 17, item 4: leniency the live API has.

Source: lexware-api.md Appendix B "Validation" (Baebeca live tests 320 and 015; the contacts
filter booleans accept `1`, inferred from Baebeca's client, which always sends 1) and §8.4.
"""

from __future__ import annotations

import httpx
import pytest

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import (
    INCOME,
    KEY,
    client_for,
    company_contact,
    issue_keys,
    voucher_body,
)
from tests.lexware.simulator.sales_helpers import create_contact, invoice_body, make_client

DISTANCE_SALES = (
    "4ebd965a-7126-416c-9d8c-a5c9366ee473"  # §5.17 Fernverkauf in EU-Land steuerpflichtig
)


def test_contacts_filter_booleans_accept_1(api: httpx.Client) -> None:
    """Appendix B: `customer=1` / `vendor=1` work like `true` (and `0` like `false`)."""
    api.post("/v1/contacts", json=company_contact("Kunde"))
    api.post("/v1/contacts", json=company_contact("Lieferant", roles={"vendor": {}}))

    def names(**params: str) -> list[str]:
        response = api.get("/v1/contacts", params=params)
        assert response.status_code == 200, response.text
        return [c["company"]["name"] for c in response.json()["content"]]

    assert names(customer="1") == names(customer="true") == ["Kunde"]
    assert names(vendor="1") == ["Lieferant"]
    assert names(customer="0") == ["Lieferant"]
    assert api.get("/v1/contacts", params={"customer": "ja"}).status_code == 400


def test_lower_case_vat_id_stored_upper_cased(api: httpx.Client) -> None:
    """Appendix B (Baebeca 320): `be0896811321` accepted and returned upper-cased."""
    body = company_contact(
        "Belgische Firma BV",
        company={"name": "Belgische Firma BV", "vatRegistrationId": "be0896811321"},
    )
    response = api.post("/v1/contacts", json=body)
    assert response.status_code == 200, response.text
    stored = api.get(f"/v1/contacts/{response.json()['id']}").json()
    assert stored["company"]["vatRegistrationId"] == "BE0896811321"
    lower_de = company_contact(
        "Deutsche Firma GmbH",
        company={"name": "Deutsche Firma GmbH", "vatRegistrationId": "de123456789"},
    )
    assert api.post("/v1/contacts", json=lower_de).status_code == 200
    bad = company_contact(
        "Kaputt GmbH", company={"name": "Kaputt GmbH", "vatRegistrationId": "de12345"}
    )
    assert api.post("/v1/contacts", json=bad).status_code == 406


def _destination_client(sim: Simulator) -> httpx.Client:
    client = client_for(sim)
    seeded = client.post(
        "/_simulator/seed",
        json={"apiKey": KEY, "mode": "empty", "distanceSalesPrinciple": "DESTINATION"},
    )
    assert seeded.status_code == 200 and seeded.json()["distanceSalesPrinciple"] == "DESTINATION"
    assert client.get("/v1/profile").json()["distanceSalesPrinciple"] == "DESTINATION"
    return client


@pytest.mark.parametrize(("rate", "gross", "tax"), [(23, 123.00, 23.00), (13, 113.00, 13.00)])
def test_destination_books_foreign_rates_through_distance_sales_categories(
    sim: Simulator, rate: int, gross: float, tax: float
) -> None:
    """Appendix B (Baebeca 015) / §8.4: an organisation with principle DESTINATION books foreign
    EU rates (23 %, 13 %) through the distance-sales posting categories."""
    client = _destination_client(sim)
    items = [
        {"amount": gross, "taxAmount": tax, "taxRatePercent": rate, "categoryId": DISTANCE_SALES}
    ]
    body = voucher_body(totalGrossAmount=gross, totalTaxAmount=tax, voucherItems=items)
    response = client.post("/v1/vouchers", json=body)
    assert response.status_code == 201, response.text
    voucher = client.get(f"/v1/vouchers/{response.json()['id']}").json()
    assert voucher["voucherItems"][0]["taxRatePercent"] == rate


def test_foreign_rates_refused_elsewhere(sim: Simulator, api: httpx.Client) -> None:
    """§8.4: a foreign rate through an ordinary category, or in an ORIGIN organisation → 406."""
    foreign = [
        {"amount": 123.00, "taxAmount": 23.00, "taxRatePercent": 23, "categoryId": DISTANCE_SALES}
    ]
    body = voucher_body(totalGrossAmount=123.00, totalTaxAmount=23.00, voucherItems=foreign)
    origin = api.post("/v1/vouchers", json=body)  # the default organisation is ORIGIN
    assert origin.status_code == 406 and "invalid_value" in issue_keys(origin)
    client = _destination_client(sim)
    ordinary = [{**foreign[0], "categoryId": INCOME}]
    refused = client.post(
        "/v1/vouchers",
        json=voucher_body(totalGrossAmount=123.00, totalTaxAmount=23.00, voucherItems=ordinary),
    )
    assert refused.status_code == 406


def test_seed_option_on_simulator_and_sales_documents() -> None:
    """Seed option `Simulator(distance_sales_principle=…)`; §8.4: with DESTINATION a sales
    document with `taxSubType: distanceSales` takes the destination rate."""
    _, origin_client = make_client()
    sim = Simulator(rate=0, distance_sales_principle="DESTINATION", probe_callbacks=False)
    client = client_for(sim, "destination-key")
    assert client.get("/v1/profile").json()["distanceSalesPrinciple"] == "DESTINATION"
    for target, expected in ((client, 201), (origin_client, 406)):
        contact = create_contact(target)
        body = invoice_body(
            contact, taxConditions={"taxType": "gross", "taxSubType": "distanceSales"}
        )
        body["lineItems"] = [
            {
                "type": "custom",
                "name": "Ware",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "grossAmount": 123.0, "taxRatePercentage": 23},
            }
        ]
        assert target.post("/v1/invoices", json=body).status_code == expected
    with pytest.raises(ValueError, match="distanceSalesPrinciple"):
        Simulator(rate=0, distance_sales_principle="SOMEWHERE").tenant_for_key("x")
