"""The body of a dunning pursued from an invoice (§5.10), from the invoice's details: built
when a dunning run starts (from the mirror) or by the worker (from a fresh GET)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date

DUNNABLE = ("open", "overdue", "sepadebit", "transferred")
# Fields of an invoice's line item that a create body may carry (§5.1); the rest is computed.
LINE_ITEM_FIELDS = ("type", "name", "description", "quantity", "unitName", "discountPercentage")
UNIT_PRICE_FIELDS = ("currency", "netAmount", "grossAmount", "taxRatePercentage")


def _line_item(item: dict[str, Any]) -> dict[str, Any]:
    line = {key: item[key] for key in LINE_ITEM_FIELDS if item.get(key) is not None}
    if item.get("type") in ("material", "service") and item.get("id"):
        line["id"] = item["id"]
    price = item.get("unitPrice")
    if isinstance(price, dict):
        line["unitPrice"] = {k: price[k] for k in UNIT_PRICE_FIELDS if price.get(k) is not None}
    return line


def dunning_body(invoice: dict[str, Any], *, level: int, voucher_date: str) -> dict[str, Any]:
    """A dunning for the invoice (§5.10): its customer, tax type and positions, dated today."""
    address = invoice.get("address") or {}
    day = parse_date(voucher_date) or timezone.localdate()
    when = timezone.make_aware(datetime.combine(day, time(12)))
    number = invoice.get("voucherNumber") or ""
    return {
        "voucherDate": when.isoformat(timespec="milliseconds"),
        "address": {"contactId": address["contactId"]}
        if address.get("contactId")
        else {
            k: v
            for k, v in address.items()
            if k in ("name", "street", "zip", "city", "countryCode")
        },
        "lineItems": [_line_item(item) for item in invoice.get("lineItems") or []],
        "totalPrice": {"currency": (invoice.get("totalPrice") or {}).get("currency") or "EUR"},
        "taxConditions": {"taxType": (invoice.get("taxConditions") or {}).get("taxType") or "net"},
        "shippingConditions": invoice.get("shippingConditions") or {"shippingType": "none"},
        "title": f"{level}. Mahnung",
        "introduction": f"Zu Rechnung {number} ist noch ein Betrag offen.",
    }


def dunning_ids(invoice: dict[str, Any]) -> list[str]:
    return [
        str(entry["id"])
        for entry in invoice.get("relatedVouchers") or []
        if entry.get("voucherType") == "dunning" and entry.get("id")
    ]
