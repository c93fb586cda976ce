"""Tax types and the tax rates a sales voucher may use (lexware-api.md §5.1, §8.4).

`relevant_date` picks the date that decides the rates (voucher date or shipping date, Berlin
calendar day); `allowed_rates` gives the valid rates for a tax type on that date.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lexware.simulator.timefmt import berlin_date, parse_datetime

TAX_TYPES = {
    "net",
    "gross",
    "vatfree",
    "intraCommunitySupply",
    "constructionService13b",
    "externalService13b",
    "thirdPartyCountryService",
    "thirdPartyCountryDelivery",
    "photovoltaicEquipment",
}
VAT_FREE_TAX_TYPES = TAX_TYPES - {"net", "gross"}
TAX_SUB_TYPES = {"distanceSales", "electronicServices"}
PERIOD_SHIPPING_TYPES = {"serviceperiod", "deliveryperiod"}
# §8.4: 16 % / 5 % replaced 19 % / 7 % for relevant dates in the second half of 2020.
CORONA_START, CORONA_END = date(2020, 7, 1), date(2020, 12, 31)
STANDARD_RATES = {Decimal(0), Decimal(7), Decimal(19)}
CORONA_RATES = {Decimal(0), Decimal(5), Decimal(16)}


def relevant_date(
    kind: str, voucher_date: datetime | None, shipping: dict[str, Any] | None
) -> date | None:
    """§8.4: the date that decides the valid tax rates."""
    if kind in {"quotation", "creditnote"} or not shipping:
        return berlin_date(voucher_date) if voucher_date else None
    shipping_type = shipping.get("shippingType")
    key = "shippingEndDate" if shipping_type in PERIOD_SHIPPING_TYPES else "shippingDate"
    if shipping_type == "none" or shipping.get(key) is None:
        return berlin_date(voucher_date) if voucher_date else None
    try:
        return berlin_date(parse_datetime(shipping[key]))
    except ValueError:
        return None


def allowed_rates(tax_type: str, when: date | None) -> set[Decimal] | None:
    """Valid tax rates, or None when any rate is allowed (EU destination-country rates)."""
    if tax_type in VAT_FREE_TAX_TYPES:
        return {Decimal(0)}
    if when is not None and CORONA_START <= when <= CORONA_END:
        return CORONA_RATES
    return STANDARD_RATES
