"""lexware.models: tolerance towards API drift (unknown fields and enum values) and request
bodies built in Python (read-only fields left out, amounts rounded to Lexware's decimals §8.2)."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from lexware import models
from lexware.models import (
    Article,
    FileStatus,
    Invoice,
    LineItem,
    LineItemType,
    Page,
    Payment,
    Profile,
    ShippingType,
    TaxType,
    UnitPrice,
    Voucher,
    VoucherlistItem,
    VoucherStatus,
    VoucherType,
    WebhookEvent,
)
from tests.lexware.test_models import PAYMENT, VOUCHERLIST_PAGE, assert_round_trip, invoice_response
from tests.lexware.test_models_master_data import ARTICLE, PROFILE, WEBHOOK

# --------------------------------------------------------------------------- tolerance


def test_unknown_fields_survive_at_every_level() -> None:
    payload = invoice_response()
    payload["brandNewTopLevel"] = {"nested": [1, 2, {"deep": True}]}
    payload["address"]["addressLine3"] = "c/o Lager"
    payload["lineItems"][0]["unitPrice"]["priceTier"] = "B"
    payload["totalPrice"]["totalRoundingAmount"] = 0.01
    parsed = assert_round_trip(Invoice, payload)
    assert parsed.model_extra == {"brandNewTopLevel": {"nested": [1, 2, {"deep": True}]}}
    assert parsed.address is not None and parsed.address.model_extra == {
        "addressLine3": "c/o Lager"
    }


def test_unknown_enum_values_are_kept_as_strings() -> None:
    payload = copy.deepcopy(VOUCHERLIST_PAGE)
    payload["content"][0]["voucherType"] = "purchasereceipt"
    payload["content"][0]["voucherStatus"] = "paymentordered"
    page = assert_round_trip(Page[VoucherlistItem], payload)
    row = page.content[0]
    assert row.voucher_type == "purchasereceipt" and not isinstance(row.voucher_type, VoucherType)
    assert row.voucher_status == "paymentordered"
    assert page.content[1].voucher_status is VoucherStatus.DRAFT  # known ones still become enums

    invoice = invoice_response()
    invoice["taxConditions"]["taxType"] = "reverseChargeFuture"
    invoice["lineItems"][0]["type"] = "bundle"
    invoice["shippingConditions"]["shippingType"] = "pickup"
    invoice["electronicDocumentProfile"] = "PEPPOL"
    assert_round_trip(Invoice, invoice)
    assert_round_trip(Article, ARTICLE | {"type": "VOUCHER_CARD"})
    assert_round_trip(WebhookEvent, WEBHOOK | {"eventType": "article.archived"})
    assert_round_trip(FileStatus, {"status": "upload_virus_found"})
    assert_round_trip(Payment, PAYMENT | {"openAmount": 21.04, "paymentStatus": "openCashDiscount"})
    assert_round_trip(Profile, PROFILE | {"businessFeatures": ["INVOICING", "AI_ASSISTANT"]})


def test_enum_members_compare_equal_to_their_wire_strings() -> None:
    invoice = Invoice.model_validate(invoice_response())
    assert invoice.voucher_status == "open"
    assert invoice.voucher_status == VoucherStatus.OPEN


def test_wrong_types_are_still_rejected() -> None:
    with pytest.raises(ValidationError):
        UnitPrice.model_validate({"netAmount": "zehn Euro"})
    with pytest.raises(ValidationError):
        UnitPrice.model_validate({"netAmount": True})
    with pytest.raises(ValidationError):
        UnitPrice.model_validate({"netAmount": "NaN"})
    with pytest.raises(ValidationError):
        Invoice.model_validate({"voucherDate": "next tuesday"})
    with pytest.raises(ValidationError):
        Voucher.model_validate({"voucherDate": "02.03.2026"})
    with pytest.raises(ValidationError):
        Invoice.model_validate({"voucherStatus": 3})


# --------------------------------------------------------------------------- request bodies


def test_request_body_built_in_python_leaves_read_only_fields_out() -> None:
    invoice = Invoice(
        voucher_date=datetime(2026, 3, 2),  # naive: taken as Berlin wall time
        address=models.VoucherAddress(contact_id="7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21"),
        line_items=[
            LineItem(
                type=LineItemType.CUSTOM,
                name="Beratung",
                quantity=Decimal("1.5"),
                unit_name="Stunde",
                unit_price=UnitPrice(
                    currency="EUR", net_amount=Decimal("95.1234"), tax_rate_percentage=Decimal(19)
                ),
            )
        ],
        total_price=models.TotalPrice(currency="EUR"),
        tax_conditions=models.TaxConditions(tax_type=TaxType.NET),
        shipping_conditions=models.ShippingConditions(shipping_type=ShippingType.NONE),
    )
    assert invoice.to_api() == {
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "address": {"contactId": "7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21"},
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 1.5,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 95.1234, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {"shippingType": "none"},
    }


def test_assignment_is_validated_and_coerced() -> None:
    price = UnitPrice(currency="EUR")
    price.net_amount = 4.99  # type: ignore[assignment]
    assert price.net_amount == Decimal("4.99") and isinstance(price.net_amount, Decimal)


def test_decimals_are_rounded_to_what_lexware_accepts_on_the_wire() -> None:
    item = LineItem(
        quantity=Decimal("1.23456"),  # 4 decimals allowed
        unit_price=UnitPrice(net_amount=Decimal("0.00005"), tax_rate_percentage=Decimal("7.005")),
        discount_percentage=Decimal("12.345"),  # 2 decimals allowed
        line_item_amount=Decimal("10.005"),
    )
    body = item.to_api()
    assert body["quantity"] == 1.2346
    assert body["unitPrice"] == {"netAmount": 0.0001, "taxRatePercentage": 7.01}
    assert body["discountPercentage"] == 12.35
    assert body["lineItemAmount"] == 10.01  # half-up, not banker's rounding
    assert isinstance(LineItem(quantity=Decimal("3.0000")).to_api()["quantity"], int)


def test_every_public_name_is_importable_from_the_package() -> None:
    expected = {
        "LexwareModel",
        "LexwareDateTime",
        "LexwareDate",
        "ActionResult",
        "Page",
        "VoucherType",
        "VoucherStatus",
        "TaxType",
        "LineItemType",
        "ShippingType",
        "ArticleType",
        "LeadingPrice",
        "PaymentStatus",
        "PaymentItemType",
        "ExecutionInterval",
        "ExecutionStatus",
        "ElectronicDocumentProfile",
        "FileStatusValue",
        "EventType",
        "Contact",
        "ContactRoles",
        "Company",
        "ContactPerson",
        "Person",
        "ContactAddresses",
        "ContactAddress",
        "ContactXRechnung",
        "EmailAddresses",
        "PhoneNumbers",
        "Article",
        "ArticlePrice",
        "VoucherAddress",
        "UnitPrice",
        "LineItem",
        "TotalPrice",
        "TaxAmount",
        "TaxConditions",
        "PaymentConditions",
        "PaymentDiscountConditions",
        "ShippingConditions",
        "RelatedVoucher",
        "DownPaymentDeduction",
        "XRechnungInvoice",
        "SalesVoucher",
        "Invoice",
        "Quotation",
        "CreditNote",
        "OrderConfirmation",
        "DeliveryNote",
        "Dunning",
        "DownPaymentInvoice",
        "DocumentFileId",
        "Voucher",
        "VoucherItem",
        "VoucherlistItem",
        "FileUploadResult",
        "FileStatus",
        "DownloadedFile",
        "Payment",
        "PaymentItem",
        "Country",
        "PaymentCondition",
        "PostingCategory",
        "PrintLayout",
        "Profile",
        "ProfileCreated",
        "RecurringTemplate",
        "RecurringTemplateSettings",
        "EventSubscription",
        "EventSubscriptionList",
        "WebhookEvent",
        "EVENT_TYPES",
        "RESOURCE_OF_EVENT",
    }
    assert expected <= set(models.__all__)
    for name in models.__all__:
        assert hasattr(models, name), name
    from lexware.models.sales import LineItem as SalesLineItem

    assert SalesLineItem is LineItem
