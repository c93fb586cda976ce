"""The totals engine of sales vouchers (lexware-api.md §8.3), to the cent.

Pure functions over `Decimal`; no knowledge of HTTP or the stored dicts beyond
`price_voucher`, which fills the computed fields into a voucher dict.

Net documents (every taxType except `gross`):
  lineItemAmount = round2(quantity × netAmount × (1 − discount/100));
  per tax rate: net = Σ lineItemAmount, tax = round2(net × rate/100), gross = net + tax.
Gross documents:
  lineItemAmount = round2(quantity × grossAmount × (1 − discount/100)) (a gross value);
  per tax rate: gross = Σ lineItemAmount, net = round2(gross / (1 + rate/100)), tax = gross − net.

Rounding is commercial (half up), per tax group, not per line (Open question 5: every
official sample has one line per rate, so both readings fit; per-group rounding is what the
Lexware web app prints as "zzgl. Umsatzsteuer 19 % auf …").

Total discounts (undocumented how they spread over rates; README "Sales documents"):
  * `totalDiscountPercentage` p: every tax group's base (net, or gross for gross documents)
    is reduced by round2(base × p/100);
  * `totalDiscountAbsolute` A: A is split over the groups in proportion to their bases,
    cent remainders go to the groups with the largest fractional shares (largest-remainder
    method), so the group discounts always add up to exactly A.
  The other of the two discount fields is reported back, computed from the applied amount.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round4(value: Decimal) -> Decimal:
    return value.quantize(TEN_THOUSANDTH, rounding=ROUND_HALF_UP)


def to_decimal(value: Any) -> Decimal:
    """JSON number (int/float) or numeric string → Decimal, via the shortest repr of floats."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers")
    if isinstance(value, int | float | str):
        return Decimal(str(value))
    raise TypeError(f"not a number: {value!r}")


def money(value: Decimal) -> float:
    """A 2-decimal JSON number."""
    return float(round2(value))


@dataclass(frozen=True)
class Line:
    """One priced line. `price` is the input amount (net for net documents, gross for gross)."""

    quantity: Decimal
    price: Decimal
    tax_rate: Decimal
    discount_percentage: Decimal = ZERO
    counted: bool = True  # False for quotation optional items and alternative sub items


@dataclass(frozen=True)
class TaxGroup:
    rate: Decimal
    net: Decimal
    tax: Decimal
    discount: Decimal  # total discount applied to this group (net or gross base)

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Totals:
    line_amounts: tuple[Decimal, ...]
    groups: tuple[TaxGroup, ...]
    discount_absolute: Decimal
    discount_percentage: Decimal

    @property
    def net(self) -> Decimal:
        return sum((g.net for g in self.groups), ZERO)

    @property
    def tax(self) -> Decimal:
        return sum((g.tax for g in self.groups), ZERO)

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def line_amount(line: Line) -> Decimal:
    return round2(line.quantity * line.price * (1 - line.discount_percentage / HUNDRED))


def split_proportionally(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split a 2-decimal `amount` over `weights` in cents; the parts add up to `amount` exactly."""
    total_weight = sum(weights, ZERO)
    if not weights:
        return []
    if total_weight == 0:
        shares = [ZERO for _ in weights]
        shares[0] = amount
        return shares
    cents = int((amount / CENT).to_integral_value())
    exact = [Decimal(cents) * w / total_weight for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    remainder = cents - sum(floors)
    # Largest fractional part first; ties go to the earlier (higher-rate) group.
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    step = 1 if remainder >= 0 else -1
    for i in order[: abs(remainder)]:
        floors[i] += step
    return [Decimal(c) * CENT for c in floors]


def compute(
    lines: Iterable[Line],
    *,
    gross_prices: bool,
    discount_absolute: Decimal | None = None,
    discount_percentage: Decimal | None = None,
) -> Totals:
    """Totals of a document. Groups come out ordered by descending tax rate."""
    line_list = list(lines)
    amounts = tuple(line_amount(line) for line in line_list)
    bases: dict[Decimal, Decimal] = {}
    for line, amount in zip(line_list, amounts, strict=True):
        if line.counted:
            rate = line.tax_rate.normalize() if line.tax_rate != 0 else ZERO
            bases[rate] = bases.get(rate, ZERO) + amount
    rates = sorted(bases, reverse=True)
    base_values = [bases[r] for r in rates]
    base_total = sum(base_values, ZERO)

    if discount_percentage is not None and discount_percentage != 0:
        discounts = [round2(b * discount_percentage / HUNDRED) for b in base_values]
        applied_percentage = discount_percentage
    elif discount_absolute is not None and discount_absolute != 0:
        discounts = split_proportionally(round2(discount_absolute), base_values)
        applied_percentage = (
            round2(discount_absolute / base_total * HUNDRED) if base_total else ZERO
        )
    else:
        discounts = [ZERO for _ in base_values]
        applied_percentage = ZERO

    groups = []
    for rate, base, discount in zip(rates, base_values, discounts, strict=True):
        reduced = base - discount
        if gross_prices:
            net = round2(reduced / (1 + rate / HUNDRED))
            tax = reduced - net
        else:
            net = reduced
            tax = round2(reduced * rate / HUNDRED)
        groups.append(TaxGroup(rate=rate, net=net, tax=tax, discount=discount))
    return Totals(
        line_amounts=amounts,
        groups=tuple(groups),
        discount_absolute=sum(discounts, ZERO),
        discount_percentage=applied_percentage,
    )


def counterpart_price(price: Decimal, rate: Decimal, *, gross_prices: bool) -> Decimal:
    """The unit price Lexware computes from the input one (§8.3 step 4 / gross step 3).

    Net input → gross with up to 4 decimals (sample 13.40 @19 % → 15.946);
    gross input → net rounded to 2 decimals (sample 120.00 @19 % → 100.84).
    """
    if gross_prices:
        return round2(price / (1 + rate / HUNDRED))
    return round4(price * (1 + rate / HUNDRED))


def _number(value: Decimal) -> float | int:
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def price_voucher(voucher: dict[str, Any], *, with_totals: bool = True) -> None:
    """Fill `lineItemAmount`, the counterpart unit price, `totalPrice` and `taxAmounts`.

    Expects an already validated voucher dict. Quotation `optional` items and `subItems`
    (alternatives) get their own line amounts but do not count (§5.20). Delivery notes
    (`with_totals=False`) get neither line amounts nor totals (§5.8).
    """
    gross_prices = voucher["taxConditions"]["taxType"] == "gross"
    priced: list[tuple[dict[str, Any], Line]] = []

    def collect(items: list[dict[str, Any]], counted: bool) -> None:
        for item in items:
            unit = item.get("unitPrice")
            if item.get("type") != "text" and unit is not None:
                price_key = "grossAmount" if gross_prices else "netAmount"
                rate = to_decimal(unit["taxRatePercentage"])
                price = to_decimal(unit[price_key])
                other_key = "netAmount" if gross_prices else "grossAmount"
                unit[other_key] = _number(counterpart_price(price, rate, gross_prices=gross_prices))
                unit[price_key] = _number(price)
                line = Line(
                    quantity=to_decimal(item.get("quantity", 0)),
                    price=price,
                    tax_rate=rate,
                    discount_percentage=to_decimal(item.get("discountPercentage") or 0),
                    counted=counted and not item.get("optional", False),
                )
                priced.append((item, line))
            collect(item.get("subItems") or [], counted=False)

    collect(voucher["lineItems"], counted=True)
    if not with_totals:
        return
    total_price = voucher.setdefault("totalPrice", {"currency": "EUR"})
    absolute = total_price.get("totalDiscountAbsolute")
    percentage = total_price.get("totalDiscountPercentage")
    totals = compute(
        [line for _, line in priced],
        gross_prices=gross_prices,
        discount_absolute=to_decimal(absolute) if absolute is not None else None,
        discount_percentage=to_decimal(percentage) if percentage is not None else None,
    )
    for (item, _), amount in zip(priced, totals.line_amounts, strict=True):
        item["lineItemAmount"] = money(amount)
    result: dict[str, Any] = {
        "currency": "EUR",
        "totalNetAmount": money(totals.net),
        "totalGrossAmount": money(totals.gross),
        "totalTaxAmount": money(totals.tax),
    }
    if totals.discount_absolute != 0:
        result["totalDiscountAbsolute"] = money(totals.discount_absolute)
        result["totalDiscountPercentage"] = money(totals.discount_percentage)
    voucher["totalPrice"] = result
    voucher["taxAmounts"] = [
        {"taxRatePercentage": _number(g.rate), "taxAmount": money(g.tax), "netAmount": money(g.net)}
        for g in totals.groups
    ]


# ---------------------------------------------------------------- bookkeeping vouchers (§5.23)


def voucher_item_tax(amount: Any, rate: Any, *, tax_type: str) -> Decimal:
    """The tax of one bookkeeping voucher position, rounded per position (half up), as §5.23's
    rounding example shows Lexware accepts it: net 37.79 @ 19 % → 7.18, 83.14 @ 7 % → 5.82.
    A gross position's tax is the part of the gross amount that is tax: gross × r/(100 + r)."""
    value, percent = to_decimal(amount), to_decimal(rate)
    if tax_type == "gross":
        return round2(value * percent / (HUNDRED + percent))
    return round2(value * percent / HUNDRED)


@dataclass(frozen=True)
class VoucherTotals:
    """What a bookkeeping voucher's `totalGrossAmount` and `totalTaxAmount` must be: the sums
    of its positions (Lexware checks both to the cent, §5.23)."""

    net: Decimal
    tax: Decimal
    gross: Decimal


def voucher_totals(items: Iterable[tuple[Any, Any]], *, tax_type: str) -> VoucherTotals:
    """`items` are (amount, taxAmount) pairs; amounts are net or gross by `tax_type`."""
    amount_sum, tax_sum = ZERO, ZERO
    for amount, tax in items:
        amount_sum += round2(to_decimal(amount))
        tax_sum += round2(to_decimal(tax))
    if tax_type == "gross":
        return VoucherTotals(net=amount_sum - tax_sum, tax=tax_sum, gross=amount_sum)
    return VoucherTotals(net=amount_sum, tax=tax_sum, gross=amount_sum + tax_sum)
