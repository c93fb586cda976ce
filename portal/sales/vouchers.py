"""What the editor's form knows of Lexware's sales vouchers (lexware-api.md §5.1, §8.1): the
tax and shipping types, dates in Lexware's format, payment condition labels, and which form
field each of Lexware's error paths belongs to."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from lexware.models.common import format_lexware_datetime
from portal.sales.lines import PREFIX, localized_number

BERLIN = ZoneInfo("Europe/Berlin")
NET, GROSS, VATFREE = "net", "gross", "vatfree"
TAX_TYPES = (
    (NET, _("Net prices, plus VAT")),
    (GROSS, _("Gross prices, VAT included")),
    (VATFREE, _("VAT-free (e.g. small business, §19 UStG)")),
    ("intraCommunitySupply", _("Intra-community supply")),
    ("constructionService13b", _("Construction service (§13b UStG)")),
    ("externalService13b", _("External service (§13b UStG)")),
    ("thirdPartyCountryService", _("Service to a third country")),
    ("thirdPartyCountryDelivery", _("Delivery to a third country")),
    ("photovoltaicEquipment", _("Photovoltaic equipment (0 %)")),
)
VAT_FREE_TYPES = {value for value, _label in TAX_TYPES} - {NET, GROSS}
SHIPPING_TYPES = (
    ("service", _("Service date")),
    ("serviceperiod", _("Service period")),
    ("delivery", _("Delivery date")),
    ("deliveryperiod", _("Delivery period")),
    ("none", _("No date")),
)
PERIODS = {"serviceperiod", "deliveryperiod"}
DEFAULT_TERMS, CUSTOM_TERMS = "", "custom"


def lexware_date(day: date) -> str:
    """Midnight in Berlin as Lexware's timestamp (§8.1)."""
    return format_lexware_datetime(datetime.combine(day, time(0), tzinfo=BERLIN))


def day_of(value: Any) -> str:
    """A Lexware timestamp back into the date input's value."""
    if not value:
        return ""
    try:
        return datetime.fromisoformat(str(value)).astimezone(BERLIN).date().isoformat()
    except ValueError:
        return ""


def fill_payment_label(condition: Mapping[str, Any]) -> str:
    """A listed condition's label: Lexware's template (§5.16) with its placeholders filled."""
    label = str(condition.get("paymentTermLabelTemplate") or "")
    skonto = condition.get("paymentDiscountConditions") or {}
    values = {
        "{paymentRange}": str(condition.get("paymentTermDuration") or 0),
        "{discountRange}": str(skonto.get("discountRange") or ""),
        "{discount}": localized_number(skonto.get("discountPercentage")),
    }
    for placeholder, value in values.items():
        label = label.replace(placeholder, value)
    return label


# Lexware's field errors (the simulator's and Appendix B's paths) onto the fields and rows:
# `lineItems[3].quantity` → row 3's quantity (WriteForm's `{0}` is the first `[*]`).
LEXWARE_FIELDS = (
    ("voucherDate", "voucher_date"),
    ("expirationDate", "expiration_date"),
    ("address", "address_name"),
    ("address.contactId", "customer_query"),
    ("address.name", "address_name"),
    ("address.supplement", "address_supplement"),
    ("address.street", "address_street"),
    ("address.zip", "address_zip"),
    ("address.city", "address_city"),
    ("address.countryCode", "address_country"),
    ("countryCode", "address_country"),
    ("taxConditions.taxType", "tax_type"),
    ("taxConditions.taxTypeNote", "tax_type_note"),
    ("totalPrice", "total_discount_percentage"),
    ("totalPrice.totalDiscountPercentage", "total_discount_percentage"),
    ("totalPrice.totalDiscountAbsolute", "total_discount_absolute"),
    ("paymentConditions.paymentTermLabel", "payment_label"),
    ("paymentConditions.paymentTermDuration", "payment_days"),
    ("paymentConditions.paymentDiscountConditions.discountPercentage", "skonto_percentage"),
    ("paymentConditions.paymentDiscountConditions.discountRange", "skonto_days"),
    ("shippingConditions", "shipping_type"),
    ("shippingConditions.shippingType", "shipping_type"),
    ("shippingConditions.shippingDate", "shipping_date"),
    ("shippingConditions.shippingEndDate", "shipping_end_date"),
    ("deliveryTerms", "delivery_terms"),
    ("title", "title"),
    ("introduction", "introduction"),
    ("remark", "remark"),
    # §5.2: a refused pursue (the preceding document may not be followed up this way).
    ("precedingSalesVoucherId", "preceding_id"),
    ("lineItems", "lines"),
    ("lineItems[*]", f"{PREFIX}-{{0}}-name"),
    ("lineItems[*].type", f"{PREFIX}-{{0}}-name"),
    ("lineItems[*].id", f"{PREFIX}-{{0}}-name"),
    ("lineItems[*].name", f"{PREFIX}-{{0}}-name"),
    ("lineItems[*].description", f"{PREFIX}-{{0}}-description"),
    ("lineItems[*].quantity", f"{PREFIX}-{{0}}-quantity"),
    ("lineItems[*].unitName", f"{PREFIX}-{{0}}-unit_name"),
    ("lineItems[*].unitPrice", f"{PREFIX}-{{0}}-unit_price"),
    ("lineItems[*].unitPrice.netAmount", f"{PREFIX}-{{0}}-unit_price"),
    ("lineItems[*].unitPrice.grossAmount", f"{PREFIX}-{{0}}-unit_price"),
    ("lineItems[*].unitPrice.currency", f"{PREFIX}-{{0}}-unit_price"),
    ("lineItems[*].unitPrice.taxRatePercentage", f"{PREFIX}-{{0}}-tax_rate"),
    ("lineItems[*].discountPercentage", f"{PREFIX}-{{0}}-discount"),
)
