"""Validation rules of sales voucher create bodies (lexware-api.md §5.1, §5.7-5.20, §8).

`validate_body` returns a list of problems `(field, violation, message)`; the handler turns
a non-empty list into a 406 in the regular error shape (§2.1 c). Messages are German-ish
and stable, like the real ones ("darf nicht leer sein"). The per-field checks live in
`sales_checker`, the tax types and rates in `sales_tax`, the kinds' names in `sales_kinds`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lexware.simulator.sales_checker import NOT_NULL, Checker, Problem
from lexware.simulator.sales_tax import (
    PERIOD_SHIPPING_TYPES,
    TAX_SUB_TYPES,
    TAX_TYPES,
    VAT_FREE_TAX_TYPES,
    allowed_rates,
    relevant_date,
)
from lexware.simulator.state import Tenant

LINE_ITEM_TYPES = {"custom", "material", "service", "text"}
SHIPPING_TYPES = {"service", "serviceperiod", "delivery", "deliveryperiod", "none"}
LANGUAGES = {"de", "en"}
MAX_LINE_ITEMS = 300
# §5.1 required fields per kind (Appendix A: each kind has its own extra).
NEEDS_SHIPPING = {"invoice", "orderconfirmation", "deliverynote", "dunning"}
NEEDS_TOTAL_PRICE = {"invoice", "creditnote", "quotation", "orderconfirmation", "dunning"}
TEXT_LIMITS = {"title": 25, "introduction": 2000, "remark": 2000, "deliveryTerms": 255}


def contact_is_customer(contact: dict[str, Any]) -> bool:
    return "customer" in (contact.get("roles") or {})


def _check_address(
    check: Checker, kind: str, body: dict[str, Any], tenant: Tenant, tax_type: Any
) -> None:
    address = body.get("address")
    if not isinstance(address, dict):
        check.add("address", "NOTNULL", NOT_NULL)
        return
    contact_id = address.get("contactId")
    if contact_id is not None:
        contact = tenant.contacts.get(str(contact_id))
        if contact is None:
            check.add("address.contactId", "INVALID_VALUE", "Kontakt existiert nicht")
        elif not contact_is_customer(contact):
            check.add("address.contactId", "INVALID_VALUE", "Kontakt hat nicht die Rolle Kunde")
    else:
        check.text(address.get("name"), "address.name", 255, required=True)
        if not address.get("countryCode"):
            check.add("address.countryCode", "NOTNULL", NOT_NULL)
        if tax_type in VAT_FREE_TAX_TYPES and tax_type != "vatfree":
            # §5.1: vat-free types other than `vatfree` need a referenced contact.
            check.add("address.contactId", "NOTNULL", "Steuerart erfordert einen Kontakt")
    for key in ("name", "supplement", "street", "city", "zip"):
        if key != "name" or contact_id is not None:
            check.text(address.get(key), f"address.{key}", 255)


def _check_line_items(
    check: Checker,
    kind: str,
    items: Any,
    tenant: Tenant,
    tax_type: Any,
    rates: set[Decimal] | None,
    prefix: str = "lineItems",
    sub_items: bool = False,
) -> None:
    if not isinstance(items, list) or (not items and not sub_items):
        check.add(prefix, "NOTNULL", NOT_NULL)
        return
    if not sub_items and len(items) > MAX_LINE_ITEMS:
        check.add(prefix, "SIZE", f"Größe muss zwischen 1 und {MAX_LINE_ITEMS} sein")
    for index, item in enumerate(items):
        at = f"{prefix}[{index}]"
        if not isinstance(item, dict):
            check.add(at, "TYPE", "muss ein Objekt sein")
            continue
        item_type = item.get("type")
        if item_type not in LINE_ITEM_TYPES:
            check.add(f"{at}.type", "INVALID_VALUE", "unbekannter Positionstyp")
            continue
        check.text(item.get("name"), f"{at}.name", 255, required=True)
        check.text(item.get("description"), f"{at}.description", 2000)
        if item_type in {"material", "service"}:
            # §5.1 (since 22.01.2024): material/service items reference an article.
            if item.get("id") is None:
                check.add(f"{at}.id", "NOTNULL", NOT_NULL)
            elif str(item["id"]) not in tenant.articles:
                check.add(f"{at}.id", "INVALID_VALUE", "Artikel existiert nicht")
        elif item.get("id") is not None:
            check.add(f"{at}.id", "INVALID_VALUE", "nur Artikel-Positionen dürfen eine id tragen")
        if kind != "quotation":
            for key in ("optional", "alternative", "subItems"):
                if item.get(key):
                    check.add(f"{at}.{key}", "INVALID_VALUE", "nur in Angeboten erlaubt")
        else:
            _check_quotation_flags(check, item, at, sub_items)
        if item_type == "text":
            continue
        check.number(item.get("quantity"), f"{at}.quantity", 4, required=True)
        check.text(item.get("unitName"), f"{at}.unitName", 255, required=True)
        discount = check.number(
            item.get("discountPercentage"),
            f"{at}.discountPercentage",
            2,
            required=False,
            minimum=Decimal(0),
            maximum=Decimal(100),
        )
        if kind == "creditnote" and discount:
            check.add(
                f"{at}.discountPercentage", "INVALID_VALUE", "Gutschriften haben keine Rabatte"
            )
        _check_unit_price(check, kind, item.get("unitPrice"), f"{at}.unitPrice", tax_type, rates)
        if kind == "quotation" and not sub_items:
            _check_line_items(
                check,
                kind,
                item.get("subItems") or [],
                tenant,
                tax_type,
                rates,
                prefix=f"{at}.subItems",
                sub_items=True,
            )


def _check_quotation_flags(check: Checker, item: dict[str, Any], at: str, sub_item: bool) -> None:
    """§5.20: `optional` only on main items; sub items must all be `alternative: true`."""
    if sub_item:
        if item.get("optional"):
            check.add(f"{at}.optional", "INVALID_VALUE", "nicht erlaubt für Unterpositionen")
        if item.get("alternative") is not True:
            check.add(
                f"{at}.alternative", "INVALID_VALUE", "Unterpositionen müssen Alternativen sein"
            )
        if item.get("subItems"):
            check.add(f"{at}.subItems", "INVALID_VALUE", "nur eine Ebene erlaubt")
    elif item.get("alternative"):
        check.add(f"{at}.alternative", "INVALID_VALUE", "nur für Unterpositionen erlaubt")


def _check_unit_price(
    check: Checker, kind: str, unit: Any, at: str, tax_type: Any, rates: set[Decimal] | None
) -> None:
    if unit is None:
        if kind != "deliverynote":  # §5.8: unitPrice optional on delivery notes
            check.add(at, "NOTNULL", NOT_NULL)
        return
    if not isinstance(unit, dict):
        check.add(at, "TYPE", "muss ein Objekt sein")
        return
    check.currency(unit.get("currency"), f"{at}.currency")
    input_key = "grossAmount" if tax_type == "gross" else "netAmount"
    check.number(unit.get(input_key), f"{at}.{input_key}", 4, required=True)
    rate = check.number(unit.get("taxRatePercentage"), f"{at}.taxRatePercentage", 2, required=True)
    if rate is not None and rates is not None and rate not in rates:
        if rates == {Decimal(0)}:
            message = "muss für steuerfreie Steuerarten 0 sein"
        else:
            message = "ungültiger Steuersatz für das maßgebliche Datum: " + ", ".join(
                str(r) for r in sorted(rates)
            )
        check.add(f"{at}.taxRatePercentage", "INVALID_VALUE", message)


def _check_conditions(check: Checker, kind: str, body: dict[str, Any], tenant: Tenant) -> Any:
    tax = body.get("taxConditions")
    tax_type = None
    if not isinstance(tax, dict) or tax.get("taxType") is None:
        check.add("taxConditions.taxType", "NOTNULL", NOT_NULL)
    else:
        tax_type = tax["taxType"]
        if tax_type not in TAX_TYPES:
            check.add("taxConditions.taxType", "INVALID_VALUE", "unbekannte Steuerart")
        elif tenant.profile.get("taxType") == "vatfree" and tax_type != "vatfree":
            check.add(
                "taxConditions.taxType",
                "INVALID_VALUE",
                "steuerbefreite Organisationen: nur vatfree",
            )
        sub_type = tax.get("taxSubType")
        if sub_type is not None and (
            sub_type not in TAX_SUB_TYPES or tax_type not in {"net", "gross"}
        ):
            check.add("taxConditions.taxSubType", "INVALID_VALUE", "ungültige Steuer-Unterart")
        check.text(tax.get("taxTypeNote"), "taxConditions.taxTypeNote", 2000)

    shipping = body.get("shippingConditions")
    if kind in NEEDS_SHIPPING and shipping is None:
        check.add("shippingConditions", "NOTNULL", NOT_NULL)
    elif shipping is not None and kind in NEEDS_SHIPPING:
        if not isinstance(shipping, dict) or shipping.get("shippingType") not in SHIPPING_TYPES:
            check.add("shippingConditions.shippingType", "INVALID_VALUE", "unbekannte Versandart")
        else:
            shipping_type = shipping["shippingType"]
            start = check.timestamp(
                shipping.get("shippingDate"),
                "shippingConditions.shippingDate",
                required=shipping_type != "none",
            )
            if shipping_type in PERIOD_SHIPPING_TYPES:
                end = check.timestamp(
                    shipping.get("shippingEndDate"),
                    "shippingConditions.shippingEndDate",
                    required=True,
                )
                if start and end and end < start:
                    check.add(
                        "shippingConditions.shippingEndDate",
                        "INVALID_VALUE",
                        "liegt vor dem Lieferdatum",
                    )

    payment = body.get("paymentConditions")
    if payment is not None and kind in {"invoice", "quotation", "orderconfirmation"}:
        if not isinstance(payment, dict) or not payment.get("paymentTermLabel"):
            # Observed (§5.1): paymentConditions without paymentTermLabel → 406.
            check.add("paymentConditions.paymentTermLabel", "NOTNULL", NOT_NULL)
        else:
            duration = payment.get("paymentTermDuration")
            if duration is not None and (
                not isinstance(duration, int) or isinstance(duration, bool) or duration < 0
            ):
                check.add(
                    "paymentConditions.paymentTermDuration",
                    "INVALID_VALUE",
                    "muss eine ganze Zahl ≥ 0 sein",
                )
            discount = payment.get("paymentDiscountConditions")
            if isinstance(discount, dict):
                check.number(
                    discount.get("discountPercentage"),
                    "paymentConditions.paymentDiscountConditions.discountPercentage",
                    2,
                    required=False,
                    minimum=Decimal(0),
                    maximum=Decimal(100),
                )
    return tax_type


def validate_body(kind: str, body: Any, tenant: Tenant) -> list[Problem]:
    """All problems of a create body for `kind` (the pursue rules are checked separately)."""
    check = Checker()
    if not isinstance(body, dict):
        check.add("", "TYPE", "Anfrage muss ein JSON-Objekt sein")
        return check.problems
    voucher_date = check.timestamp(body.get("voucherDate"), "voucherDate", required=True)
    if kind == "quotation":
        expiration = check.timestamp(body.get("expirationDate"), "expirationDate", required=True)
        if expiration and voucher_date and expiration < voucher_date:
            check.add("expirationDate", "INVALID_VALUE", "liegt vor dem Angebotsdatum")
    language = body.get("language")
    if language is not None and language not in LANGUAGES:
        check.add("language", "INVALID_VALUE", "erlaubt sind de und en")
    for key, limit in TEXT_LIMITS.items():
        check.text(body.get(key), key, limit)
    tax_type = _check_conditions(check, kind, body, tenant)
    _check_address(check, kind, body, tenant, tax_type)

    if kind in NEEDS_TOTAL_PRICE or body.get("totalPrice") is not None:
        total = body.get("totalPrice")
        if kind == "deliverynote":
            pass  # §5.8: no totals; whatever is sent is ignored
        elif not isinstance(total, dict):
            check.add("totalPrice", "NOTNULL", NOT_NULL)
        else:
            check.currency(total.get("currency"), "totalPrice.currency")
            absolute = check.number(
                total.get("totalDiscountAbsolute"),
                "totalPrice.totalDiscountAbsolute",
                2,
                required=False,
                minimum=Decimal(0),
            )
            percentage = check.number(
                total.get("totalDiscountPercentage"),
                "totalPrice.totalDiscountPercentage",
                2,
                required=False,
                minimum=Decimal(0),
                maximum=Decimal(100),
            )
            if absolute and percentage:
                check.add(
                    "totalPrice",
                    "INVALID_VALUE",
                    "nur ein Gesamtrabatt (absolut oder prozentual) erlaubt",
                )
            if kind == "creditnote" and (absolute or percentage):
                check.add("totalPrice", "INVALID_VALUE", "Gutschriften haben keine Rabatte")

    valid_tax = tax_type in TAX_TYPES
    rates = None
    if valid_tax:
        shipping = body.get("shippingConditions") if kind in NEEDS_SHIPPING else None
        rates = allowed_rates(
            str(tax_type),
            relevant_date(kind, voucher_date, shipping if isinstance(shipping, dict) else None),
        )
        sub_type = (body.get("taxConditions") or {}).get("taxSubType")
        if sub_type and tenant.profile.get("distanceSalesPrinciple") == "DESTINATION":
            rates = None  # §8.4: destination-country rates of other EU states
    _check_line_items(
        check, kind, body.get("lineItems"), tenant, tax_type if valid_tax else None, rates
    )
    if (
        kind == "invoice"
        and body.get("xRechnung") is not None
        and not isinstance(body["xRechnung"], dict)
    ):
        check.add("xRechnung", "TYPE", "muss ein Objekt sein")
    return check.problems


def discount_exceeds_base(voucher: dict[str, Any]) -> bool:
    """After pricing: a total discount larger than the document value is not acceptable."""
    total = voucher.get("totalPrice") or {}
    return bool(total.get("totalNetAmount", 0) < 0 and total.get("totalDiscountAbsolute"))
