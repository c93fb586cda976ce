"""The article form's own rules (issue 10 item 2): GTIN check digits, the computed other price
(§8.3 rounding, the function the simulator uses), and its live preview over htmx."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from lexware.simulator.handlers.articles import compute_price
from lexware.simulator.handlers.articles import gtin_valid as simulator_gtin
from portal.articles.forms import ArticleForm, counterpart, gtin_valid, price_text

PRICE_URL = "/o/alpha/articles/price/"


@pytest.mark.parametrize(
    "gtin",
    [
        "96385074",  # GTIN-8
        "036000291452",  # GTIN-12 (UPC-A)
        "4006381333931",  # GTIN-13 (EAN)
        "4012345000009",
        "10614141000415",  # GTIN-14
        "00000000",
    ],
)
def test_valid_gtins(gtin: str) -> None:
    assert gtin_valid(gtin) and simulator_gtin(gtin)


@pytest.mark.parametrize(
    "gtin",
    [
        "96385075",  # check digit off by one
        "036000291453",
        "4006381333932",
        "10614141000416",
        "4006381333",  # 10 digits: no GTIN length
        "400638133393100",  # 15 digits
        "40063813339a1",
        "４００６３８１３３３９３１",  # full-width digits are digits to Python, not to Lexware
        "",
    ],
)
def test_invalid_gtins(gtin: str) -> None:
    assert not gtin_valid(gtin)


def test_the_form_agrees_with_lexware_on_every_check_digit() -> None:
    """For one GTIN body of each length, exactly one of the ten check digits is valid, and it
    is the same for the form and the simulator."""
    for body in ("9638507", "03600029145", "400638133393", "1061414100041"):
        ours = [d for d in "0123456789" if gtin_valid(body + d)]
        theirs = [d for d in "0123456789" if simulator_gtin(body + d)]
        assert len(ours) == 1 and ours == theirs, body


@pytest.mark.parametrize(
    ("leading", "price", "rate", "other"),
    [
        ("NET", "50.00", 19, "59.5"),  # §5.4's example
        ("NET", "13.40", 19, "15.946"),  # §8.3 step 4: up to 4 decimals
        ("NET", "0.1234", 19, "0.1468"),  # 0.146846 → half up at the 4th decimal
        ("NET", "8.32", 7, "8.9024"),
        ("NET", "10.00", 0, "10"),
        ("GROSS", "120.00", 19, "100.84"),  # §8.3 gross step 3: net to the cent
        ("GROSS", "23.90", 19, "20.08"),
        ("GROSS", "0.01", 7, "0.01"),  # 0.00934… → 0.01
        ("GROSS", "1.19", 19, "1.00"),
        ("GROSS", "0.05", 19, "0.04"),  # 0.042016… → 0.04
    ],
)
def test_the_computed_price_is_rounded_as_lexware_does(
    leading: str, price: str, rate: int, other: str
) -> None:
    computed = counterpart(leading, Decimal(price), rate)
    assert computed == Decimal(other)
    # The simulator (standing in for Lexware) computes the same from the same input.
    key = "netPrice" if leading == "NET" else "grossPrice"
    answer = compute_price({key: float(price), "leadingPrice": leading, "taxRate": rate})
    assert answer["grossPrice" if leading == "NET" else "netPrice"] == float(other)


def test_no_computed_price_until_the_inputs_are_valid() -> None:
    assert counterpart("NET", None, 19) is None
    assert counterpart("NET", Decimal(1), None) is None
    assert counterpart("", Decimal(1), 19) is None


def test_unit_prices_show_two_to_four_decimals() -> None:
    with translation.override("de"):
        assert price_text(Decimal("15.946")) == "15,946 €"
        assert price_text(Decimal("1234.5")) == "1.234,50 €"
    with translation.override("en"):
        assert price_text(Decimal("15.946")) == "€15.946"


def test_lexware_json_round_trips_through_the_form() -> None:
    body = {
        "title": "Beratung",
        "type": "SERVICE",
        "unitName": "Stunde",
        "articleNumber": "B-1",
        "gtin": None,
        "description": "Vor Ort",
        "price": {"grossPrice": 119.0, "leadingPrice": "GROSS", "taxRate": 19},
    }
    data = ArticleForm.data_from_lexware(body)
    form = ArticleForm({**data, "idempotency_key": "6f1c2c44-5d8e-4b0e-9a55-3c1f0b7a9e21"})
    assert form.is_valid(), form.errors
    assert form.to_lexware() == body


# ---------------------------------------------------------------- the live preview (htmx)


def test_the_preview_computes_the_other_price(client_for, bob, org_a) -> None:
    client = client_for(bob)
    query = {"leading_price": "NET", "price": "13.40", "tax_rate": "19"}
    response = client.get(PRICE_URL, query, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="counterpart-price"' in html
    assert "Gross price (computed)" in html and "€15.946" in html
    gross = client.get(PRICE_URL, {**query, "leading_price": "GROSS", "price": "120.00"})
    assert "Net price (computed)" in gross.content.decode()
    assert "€100.84" in gross.content.decode()


def test_the_preview_speaks_german(client_for, bob, org_a) -> None:
    query = {"leading_price": "GROSS", "price": "1.234,56", "tax_rate": "7"}
    html = client_for(bob).get(PRICE_URL, query, headers={"Accept-Language": "de"}).content.decode()
    assert "Nettopreis (berechnet)" in html and "1.153,79 €" in html


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"leading_price": "NET", "price": "abc", "tax_rate": "19"},
        {"leading_price": "NET", "price": "1", "tax_rate": "16"},
        {"leading_price": "SIDEWAYS", "price": "1", "tax_rate": "19"},
        {"leading_price": "NET", "price": "1e309", "tax_rate": "19"},
        {"leading_price": "NET", "price": "-5", "tax_rate": "19"},
        {"leading_price": "NET", "price": "<script>alert(1)</script>", "tax_rate": "19"},
    ],
)
def test_the_preview_shows_a_dash_for_unusable_input(client_for, bob, org_a, query) -> None:
    response = client_for(bob).get(PRICE_URL, query)
    html = response.content.decode()
    assert response.status_code == 200 and "—" in html and "<script>alert" not in html


def test_the_form_page_shows_the_preview_wiring(client_for, bob, org_a) -> None:
    html = client_for(bob).get(reverse("articles:create", kwargs={"org_slug": "alpha"})).content
    page = html.decode()
    assert f'hx-get="{PRICE_URL}"' in page and 'hx-include="closest fieldset"' in page
    assert 'id="counterpart-price"' in page
