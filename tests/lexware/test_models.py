"""lexware.models against payloads shaped like the samples of lexware-api.md.

Round-trip rule checked throughout: `Model.model_validate(api_json).to_api()` equals the input,
where a key whose value is null counts as absent (`to_api()` drops nulls on purpose so that
read-only fields left None never reach a request body).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from lexware import models
from lexware.models import (
    ActionResult,
    Contact,
    CreditNote,
    DeliveryNote,
    DocumentFileId,
    DownPaymentInvoice,
    Dunning,
    Invoice,
    LineItem,
    LineItemType,
    OrderConfirmation,
    Page,
    Payment,
    PaymentItemType,
    PaymentStatus,
    Quotation,
    ShippingType,
    TaxType,
    Voucher,
    VoucherlistItem,
    VoucherStatus,
    VoucherType,
)

BERLIN_WINTER = timezone(timedelta(hours=1))


def without_nulls(value: Any) -> Any:
    """The comparison form of a JSON value: dict keys with null values removed, recursively."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def assert_round_trip(model: type[models.LexwareModel], payload: dict[str, Any]) -> Any:
    parsed = model.model_validate(payload)
    dumped = parsed.to_api()
    assert dumped == without_nulls(payload)
    # What to_api() returns must be plain JSON: json.dumps would raise on Decimal/datetime.
    assert json.loads(json.dumps(dumped)) == dumped
    # …and must parse again to an equal model.
    assert model.model_validate(dumped) == model.model_validate(without_nulls(payload))
    return parsed


# --------------------------------------------------------------------------- samples (§1.4, §4)

ACTION_RESULT = {
    "id": "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11",
    "resourceUri": "https://api.lexware.io/v1/invoices/3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11",
    "createdDate": "2026-03-02T10:15:30.123+01:00",
    "updatedDate": "2026-03-02T10:15:30.123+01:00",
    "version": 1,
}


INVOICE_CREATE = {
    "voucherDate": "2026-03-02T00:00:00.000+01:00",
    "address": {"contactId": "7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21"},
    "lineItems": [
        {
            "type": "custom",
            "name": "Beratung",
            "quantity": 3,
            "unitName": "Stunde",
            "unitPrice": {"currency": "EUR", "netAmount": 10.0, "taxRatePercentage": 19},
            "discountPercentage": 0,
        },
        {
            "type": "custom",
            "name": "Fachbuch",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "netAmount": 4.99, "taxRatePercentage": 7},
        },
        {"type": "text", "name": "Hinweis", "description": "Leistungszeitraum Februar"},
    ],
    "totalPrice": {"currency": "EUR"},
    "taxConditions": {"taxType": "net"},
    "paymentConditions": {"paymentTermLabel": "Zahlbar in 14 Tagen", "paymentTermDuration": 14},
    "shippingConditions": {
        "shippingType": "serviceperiod",
        "shippingDate": "2026-02-01T00:00:00.000+01:00",
        "shippingEndDate": "2026-02-28T00:00:00.000+01:00",
    },
    "title": "Rechnung",
    "introduction": "Wir berechnen Ihnen:",
    "remark": "Vielen Dank.",
}


def invoice_response() -> dict[str, Any]:
    """The §5.13 body as Lexware returns it after `finalize=true`, totals per §8.3."""
    body = copy.deepcopy(INVOICE_CREATE)
    body.update(
        {
            "id": "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11",
            "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
            "createdDate": "2026-03-02T10:15:30.123+01:00",
            "updatedDate": "2026-03-02T10:15:30.456+01:00",
            "version": 1,
            "language": "de",
            "archived": False,
            "voucherStatus": "open",
            "voucherNumber": "RE0042",
            "dueDate": "2026-03-16T00:00:00.000+01:00",
            "electronicDocumentProfile": "NONE",
            "xRechnung": None,
            "closingInvoice": False,
            "claimedGrossAmount": 41.04,
            "downPaymentDeductions": [],
            "recurringTemplateId": None,
            "relatedVouchers": [],
            "taxAmounts": [
                {"taxRatePercentage": 19, "taxAmount": 5.7, "netAmount": 30.0},
                {"taxRatePercentage": 7, "taxAmount": 0.35, "netAmount": 4.99},
            ],
            "files": {"documentFileId": "9a1b2c3d-0000-4000-8000-00000000abcd"},
        }
    )
    body["address"].update(
        {"name": "Beispiel Werkstatt GmbH", "countryCode": "DE", "contactPerson": "Jana Sommer"}
    )
    body["lineItems"][0].update({"lineItemAmount": 30.0})
    body["lineItems"][0]["unitPrice"]["grossAmount"] = 11.9
    body["lineItems"][1].update({"lineItemAmount": 4.99, "discountPercentage": 0})
    body["lineItems"][1]["unitPrice"]["grossAmount"] = 5.3393
    body["totalPrice"].update(
        {"totalNetAmount": 34.99, "totalGrossAmount": 41.04, "totalTaxAmount": 6.05}
    )
    body["paymentConditions"]["paymentTermLabelTemplate"] = "Zahlbar in {paymentRange} Tagen"
    return body


QUOTATION = {
    "id": "b1000000-0000-4000-8000-000000000001",
    "voucherStatus": "draft",
    "voucherDate": "2026-03-02T00:00:00.000+01:00",
    "expirationDate": "2026-04-01T00:00:00.000+02:00",
    "address": {"name": "Einmalkunde", "countryCode": "DE"},
    "lineItems": [
        {
            "type": "custom",
            "name": "Fahrrad",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {
                "currency": "EUR",
                "grossAmount": 23.9,
                "netAmount": 20.084,
                "taxRatePercentage": 19,
            },
            "lineItemAmount": 23.9,
            "subItems": [
                {
                    "type": "custom",
                    "name": "Fahrrad in Blau",
                    "quantity": 1,
                    "unitName": "Stück",
                    "unitPrice": {"currency": "EUR", "grossAmount": 15.95, "taxRatePercentage": 19},
                    "alternative": True,
                    "lineItemAmount": 15.95,
                }
            ],
        },
        {
            "type": "custom",
            "name": "Klingel",
            "quantity": 1,
            "unitName": "Stück",
            "unitPrice": {"currency": "EUR", "grossAmount": 4.9, "taxRatePercentage": 19},
            "optional": True,
            "lineItemAmount": 4.9,
        },
    ],
    "totalPrice": {
        "currency": "EUR",
        "totalNetAmount": 20.08,
        "totalGrossAmount": 23.9,
        "totalTaxAmount": 3.82,
    },
    "taxAmounts": [{"taxRatePercentage": 19, "taxAmount": 3.82, "netAmount": 20.08}],
    "taxConditions": {"taxType": "gross"},
}

VOUCHER_CREATE = {
    "type": "salesinvoice",
    "voucherNumber": "SHOP-2026-0042",
    "voucherDate": "2026-03-02",
    "totalGrossAmount": 119.00,
    "totalTaxAmount": 19.00,
    "taxType": "gross",
    "useCollectiveContact": True,
    "contactName": "Online-Kunde M. Beispiel",
    "voucherItems": [
        {
            "amount": 119.00,
            "taxAmount": 19.00,
            "taxRatePercent": 19,
            "categoryId": "8f8664a8-fd86-11e1-a21f-0800200c9a66",
        }
    ],
}

VOUCHERLIST_PAGE = {
    "content": [
        {
            "id": "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11",
            "voucherType": "invoice",
            "voucherStatus": "open",
            "voucherNumber": "RE0042",
            "voucherDate": "2026-03-02T00:00:00.000+01:00",
            "createdDate": "2026-03-02T10:15:30.123+01:00",
            "updatedDate": "2026-03-02T10:15:30.456+01:00",
            "dueDate": "2026-03-16T00:00:00.000+01:00",
            "contactId": "7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21",
            "contactName": "Beispiel Werkstatt GmbH",
            "totalAmount": 41.04,
            "openAmount": 41.04,
            "currency": "EUR",
            "archived": False,
        },
        {
            "id": "c2000000-0000-4000-8000-000000000002",
            "voucherType": "quotation",
            "voucherStatus": "draft",
            "voucherNumber": None,
            "voucherDate": "2026-03-03T00:00:00.000+01:00",
            "createdDate": "2026-03-03T08:00:00.000+01:00",
            "updatedDate": "2026-03-03T08:00:00.000+01:00",
            "dueDate": None,
            "contactId": None,
            "contactName": "Sammelkunde",
            "totalAmount": 119,
            "openAmount": None,
            "currency": "EUR",
            "archived": False,
        },
    ],
    "first": True,
    "last": False,
    "totalPages": 4,
    "totalElements": 87,
    "numberOfElements": 2,
    "size": 2,
    "number": 0,
    "sort": [
        {
            "property": "voucherdate",
            "direction": "DESC",
            "ignoreCase": False,
            "nullHandling": "NATIVE",
            "ascending": False,
        }
    ],
}

PAYMENT = {
    "openAmount": "21.04",  # the one official sample that sends a string (§8.2)
    "currency": "EUR",
    "paymentStatus": "openRevenue",
    "voucherType": "invoice",
    "voucherStatus": "open",
    "paymentItems": [
        {
            "paymentItemType": "partPaymentFinancialTransaction",
            "postingDate": "2026-03-10T00:00:00.000+01:00",
            "amount": 20.0,
            "currency": "EUR",
        }
    ],
}


# --------------------------------------------------------------------------- parsing the samples


def test_action_result_parses_and_round_trips() -> None:
    result = assert_round_trip(ActionResult, ACTION_RESULT)
    assert result.id == "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11"
    assert result.version == 1
    assert result.created_date == datetime(2026, 3, 2, 9, 15, 30, 123000, tzinfo=UTC)


def test_action_result_requires_an_id() -> None:
    with pytest.raises(ValidationError):
        ActionResult.model_validate({"resourceUri": "https://api.lexware.io/v1/x/1"})


def test_invoice_create_body_of_5_13_round_trips_exactly() -> None:
    invoice = assert_round_trip(Invoice, INVOICE_CREATE)
    assert invoice.to_api() == INVOICE_CREATE
    assert invoice.tax_conditions is not None
    assert invoice.tax_conditions.tax_type is TaxType.NET
    assert invoice.shipping_conditions is not None
    assert invoice.shipping_conditions.shipping_type is ShippingType.SERVICE_PERIOD
    assert invoice.line_items is not None
    assert [item.type for item in invoice.line_items] == [
        LineItemType.CUSTOM,
        LineItemType.CUSTOM,
        LineItemType.TEXT,
    ]
    assert invoice.line_items[1].unit_price is not None
    assert invoice.line_items[1].unit_price.net_amount == Decimal("4.99")


def test_invoice_response_round_trips_and_exposes_totals_as_decimals() -> None:
    payload = invoice_response()
    invoice = assert_round_trip(Invoice, payload)
    assert invoice.voucher_status is VoucherStatus.OPEN
    assert invoice.total_price is not None
    total = invoice.total_price
    assert (total.total_net_amount, total.total_tax_amount, total.total_gross_amount) == (
        Decimal("34.99"),
        Decimal("6.05"),
        Decimal("41.04"),
    )
    assert invoice.tax_amounts is not None
    # Decimal sums are exact: 5.70 + 0.35 is 6.05, which float addition does not guarantee.
    assert sum((t.tax_amount or Decimal(0) for t in invoice.tax_amounts), Decimal(0)) == Decimal(
        "6.05"
    )
    assert invoice.files is not None
    assert invoice.files.document_file_id == "9a1b2c3d-0000-4000-8000-00000000abcd"
    assert invoice.address is not None and invoice.address.contact_person == "Jana Sommer"
    assert invoice.line_items is not None and invoice.line_items[1].unit_price is not None
    assert invoice.line_items[1].unit_price.gross_amount == Decimal("5.3393")


def test_quotation_keeps_sub_items_optional_and_alternative_flags() -> None:
    quotation = assert_round_trip(Quotation, QUOTATION)
    assert quotation.expiration_date == datetime(2026, 4, 1, tzinfo=timezone(timedelta(hours=2)))
    assert quotation.line_items is not None
    main, optional = quotation.line_items
    assert main.sub_items is not None and main.sub_items[0].alternative is True
    assert isinstance(main.sub_items[0], LineItem)
    assert optional.optional is True
    assert main.unit_price is not None and main.unit_price.net_amount == Decimal("20.084")


@pytest.mark.parametrize(
    "model", [CreditNote, DeliveryNote, Dunning, OrderConfirmation, DownPaymentInvoice, Invoice]
)
def test_every_sales_voucher_type_reads_the_shared_shape(model: type[models.SalesVoucher]) -> None:
    payload = invoice_response()
    parsed = assert_round_trip(model, payload)
    assert isinstance(parsed, models.SalesVoucher)
    assert parsed.voucher_number == "RE0042"
    # Type-specific fields the class does not declare are still kept (extra="allow").
    assert parsed.to_api()["claimedGrossAmount"] == 41.04


def test_down_payment_invoice_closing_invoice_id() -> None:
    payload = invoice_response() | {"closingInvoiceId": "f0000000-0000-4000-8000-000000000009"}
    parsed = assert_round_trip(DownPaymentInvoice, payload)
    assert parsed.closing_invoice_id == "f0000000-0000-4000-8000-000000000009"


def test_document_file_id_answer() -> None:
    parsed = assert_round_trip(DocumentFileId, {"documentFileId": "9a1b2c3d-0000-4000-8000-1"})
    assert parsed.document_file_id == "9a1b2c3d-0000-4000-8000-1"


def test_bookkeeping_voucher_create_body_round_trips_with_plain_dates() -> None:
    voucher = assert_round_trip(Voucher, VOUCHER_CREATE)
    assert voucher.voucher_date is not None and voucher.voucher_date.isoformat() == "2026-03-02"
    assert voucher.voucher_items is not None
    assert voucher.voucher_items[0].amount == Decimal("119.00")
    assert voucher.type is VoucherType.SALES_INVOICE


def test_bookkeeping_voucher_returned_with_timestamps_is_sent_back_as_dates() -> None:
    response = VOUCHER_CREATE | {
        "id": "v1000000-0000-4000-8000-000000000001",
        "voucherStatus": "open",
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "dueDate": "2026-03-16T00:00:00.000+01:00",
        # 23:30 UTC on the 1st is already the 2nd in Berlin: Lexware's business day counts.
        "shippingDate": "2026-03-01T23:30:00.000Z",
        "files": ["f1000000-0000-4000-8000-000000000001"],
        "createdDate": "2026-03-02T10:00:00.000+01:00",
        "version": 2,
    }
    body = Voucher.model_validate(response).to_api()
    assert body["voucherDate"] == "2026-03-02"
    assert body["dueDate"] == "2026-03-16"
    assert body["shippingDate"] == "2026-03-02"
    assert body["createdDate"] == "2026-03-02T10:00:00.000+01:00"  # a real timestamp stays one
    assert body["files"] == ["f1000000-0000-4000-8000-000000000001"]


def test_voucherlist_page_parses_rows_with_null_open_amount_and_collective_contact() -> None:
    page = assert_round_trip(Page[VoucherlistItem], VOUCHERLIST_PAGE)
    assert page.total_elements == 87 and page.number == 0 and page.first is True
    assert page.is_last is False
    invoice_row, quotation_row = page.content
    assert isinstance(invoice_row, VoucherlistItem)
    assert invoice_row.open_amount == Decimal("41.04")
    assert quotation_row.open_amount is None and quotation_row.contact_id is None
    assert quotation_row.voucher_type is VoucherType.QUOTATION
    assert page.sort is not None and isinstance(page.sort, list)
    assert page.sort[0].property == "voucherdate" and page.sort[0].direction == "DESC"


@pytest.mark.parametrize(
    "sort",
    [
        [
            {
                "property": "name",
                "direction": "ASC",
                "ignoreCase": False,
                "nullHandling": "NATIVE",
                "ascending": True,
            }
        ],
        [{"property": "title", "direction": "ASC", "someNewFlag": 1}],
        [{}],
        {"sorted": True, "unsorted": False, "empty": False},
        [],
    ],
)
def test_page_sort_entries_are_tolerated_in_any_shape(sort: Any) -> None:
    payload = {"content": [], "sort": sort}
    page = Page[Contact].model_validate(payload)
    assert page.to_api() == payload


def test_payment_with_string_open_amount() -> None:
    payment = Payment.model_validate(PAYMENT)
    assert payment.open_amount == Decimal("21.04")
    assert payment.payment_status is PaymentStatus.OPEN_REVENUE
    assert payment.payment_items is not None
    assert payment.payment_items[0].payment_item_type is (
        PaymentItemType.PART_PAYMENT_FINANCIAL_TRANSACTION
    )
    # Sent back as a JSON number, not as the string it arrived as.
    assert payment.to_api()["openAmount"] == 21.04
    assert Payment.model_validate(PAYMENT | {"openAmount": 21.04}).to_api() == (
        PAYMENT | {"openAmount": 21.04}
    )


# --------------------------------------------------------------------------- events (§7.1)
