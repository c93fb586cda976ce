"""The totals engine (lexware-api.md §8.3): the official samples to the cent, plus properties."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from lexware.totals import (
    Line,
    compute,
    counterpart_price,
    price_voucher,
    split_proportionally,
)


def net_line(
    quantity: str, price: str, rate: str, discount: str = "0", counted: bool = True
) -> Line:
    return Line(D(quantity), D(price), D(rate), D(discount), counted)


def test_worked_example_of_the_minimal_invoice_body() -> None:
    """§8.3: lines 30.00 @19 % and 4.99 @7 % → tax 5.70 + 0.35, net 34.99, tax 6.05, gross 41.04."""
    totals = compute([net_line("3", "10", "19"), net_line("1", "4.99", "7")], gross_prices=False)
    assert [(g.rate, g.net, g.tax) for g in totals.groups] == [
        (D(19), D("30.00"), D("5.70")),
        (D(7), D("4.99"), D("0.35")),
    ]
    assert (totals.net, totals.tax, totals.gross) == (D("34.99"), D("6.05"), D("41.04"))


def test_credit_note_sample_26_80_at_19() -> None:
    """§8.3: 26.80 net @19 % → tax 5.09."""
    assert compute([net_line("1", "26.80", "19")], gross_prices=False).tax == D("5.09")


def test_invoice_sample_tax_groups() -> None:
    """§8.3: 13.40 @19 % → 2.55 and 8.32 @7 % → 0.58, total tax 3.13. (The sample's net 26.72 also
    contains a further 5.00 line at 0 %, which the summary in §8.3 does not list.)"""
    totals = compute(
        [net_line("1", "13.40", "19"), net_line("1", "8.32", "7"), net_line("1", "5.00", "0")],
        gross_prices=False,
    )
    assert [g.tax for g in totals.groups] == [D("2.55"), D("0.58"), D("0.00")]
    assert (totals.net, totals.tax, totals.gross) == (D("26.72"), D("3.13"), D("29.85"))


def test_line_discount_sample() -> None:
    """§5.13 sample: 2 × 13.40 net at 50 % discount → lineItemAmount 13.40."""
    assert compute([net_line("2", "13.40", "19", "50")], gross_prices=False).line_amounts == (
        D("13.40"),
    )


def test_gross_samples() -> None:
    """§8.3: 23.90 → 20.08/3.82 (quotation), 666.00 → 559.66/106.34, 720.00 → 605.04/114.96."""
    for gross, net, tax in (
        ("23.90", "20.08", "3.82"),
        ("666.00", "559.66", "106.34"),
        ("720.00", "605.04", "114.96"),
    ):
        totals = compute([net_line("1", gross, "19")], gross_prices=True)
        assert (totals.net, totals.tax, totals.gross) == (D(net), D(tax), D(gross))


def test_counterpart_unit_prices() -> None:
    """§8.3: 13.40 net @19 % → gross 15.946 (4 decimals); 120.00 gross @19 % → net 100.84."""
    assert counterpart_price(D("13.40"), D(19), gross_prices=False) == D("15.9460")
    assert counterpart_price(D("120.00"), D(19), gross_prices=True) == D("100.84")


def test_quotation_optional_and_alternative_items_are_excluded() -> None:
    """§5.20 sample: main 23.90 gross + optional 4.90 + alternative 15.95 → total gross 23.90."""
    voucher = {
        "taxConditions": {"taxType": "gross"},
        "totalPrice": {"currency": "EUR"},
        "lineItems": [
            {
                "type": "custom",
                "quantity": 1,
                "unitPrice": {"grossAmount": 23.9, "taxRatePercentage": 19},
                "subItems": [
                    {
                        "type": "custom",
                        "quantity": 1,
                        "alternative": True,
                        "unitPrice": {"grossAmount": 15.95, "taxRatePercentage": 19},
                    }
                ],
            },
            {
                "type": "custom",
                "quantity": 1,
                "optional": True,
                "unitPrice": {"grossAmount": 4.9, "taxRatePercentage": 19},
            },
        ],
    }
    price_voucher(voucher)
    assert voucher["totalPrice"]["totalGrossAmount"] == 23.90
    assert voucher["lineItems"][1]["lineItemAmount"] == 4.90
    assert voucher["lineItems"][0]["subItems"][0]["lineItemAmount"] == 15.95


def test_delivery_notes_get_no_totals() -> None:
    """§5.8: no totals, tax amounts or line amounts on delivery notes."""
    voucher = {
        "taxConditions": {"taxType": "net"},
        "lineItems": [
            {
                "type": "custom",
                "quantity": 2,
                "unitPrice": {"netAmount": 5, "taxRatePercentage": 19},
            }
        ],
    }
    price_voucher(voucher, with_totals=False)
    assert "totalPrice" not in voucher and "taxAmounts" not in voucher
    assert "lineItemAmount" not in voucher["lineItems"][0]


def test_total_discount_percentage_per_group() -> None:
    """README choice: a percentage reduces every tax group's net by round2(net × p)."""
    totals = compute(
        [net_line("1", "100", "19"), net_line("1", "50", "7")],
        gross_prices=False,
        discount_percentage=D("10"),
    )
    assert [(g.net, g.tax) for g in totals.groups] == [
        (D("90.00"), D("17.10")),
        (D("45.00"), D("3.15")),
    ]
    assert totals.discount_absolute == D("15.00")


def test_total_discount_absolute_is_split_proportionally_to_the_cent() -> None:
    """README choice: an absolute discount is split by group net, largest remainder in cents."""
    totals = compute(
        [net_line("1", "100", "19"), net_line("1", "50", "7")],
        gross_prices=False,
        discount_absolute=D("10.00"),
    )
    assert [g.discount for g in totals.groups] == [D("6.67"), D("3.33")]
    assert totals.net == D("140.00")
    assert totals.discount_percentage == D("6.67")


def test_split_proportionally_keeps_the_sum() -> None:
    assert split_proportionally(D("0.10"), [D(1), D(1), D(1)]) == [D("0.04"), D("0.03"), D("0.03")]


prices = st.decimals(min_value=D("-500"), max_value=D("5000"), places=4)
quantities = st.decimals(min_value=D("0"), max_value=D("1000"), places=4)
rates = st.sampled_from([D(0), D(5), D(7), D(16), D(19)])
discounts = st.decimals(min_value=D(0), max_value=D(100), places=2)
lines = st.lists(
    st.builds(Line, quantities, prices, rates, discounts, st.booleans()), min_size=1, max_size=12
)


@settings(max_examples=300, deadline=None)
@given(lines, st.booleans(), st.one_of(st.none(), discounts))
def test_properties(items: list[Line], gross_prices: bool, percentage: D | None) -> None:
    """gross = net + tax per group; totals are sums of groups; everything has 2 decimals."""
    totals = compute(items, gross_prices=gross_prices, discount_percentage=percentage)
    for group in totals.groups:
        assert group.gross == group.net + group.tax
        for value in (group.net, group.tax, group.discount):
            assert value == value.quantize(D("0.01"))
    assert totals.net == sum((g.net for g in totals.groups), D(0))
    assert totals.tax == sum((g.tax for g in totals.groups), D(0))
    assert totals.gross == totals.net + totals.tax
    assert all(a == a.quantize(D("0.01")) for a in totals.line_amounts)
    counted_rates = {item.tax_rate for item in items if item.counted}
    assert len(totals.groups) == len(counted_rates)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2), min_size=1, max_size=6
    ),
    st.decimals(min_value=D(0), max_value=D("5000"), places=2),
)
def test_split_property(weights: list[D], amount: D) -> None:
    parts = split_proportionally(amount, weights)
    assert sum(parts, D(0)) == amount
    assert all(
        abs(part - amount * w / sum(weights)) < D("0.01") + D("1e-9")
        for part, w in zip(parts, weights, strict=True)
    )
