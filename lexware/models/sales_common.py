"""Building blocks shared by all sales vouchers (lexware-api.md §5.1) and the `SalesVoucher` base.

Amount precision follows §8.2: unit prices and quantities up to 4 decimals (`UnitAmount`,
`Quantity`), line amounts, totals, tax amounts and discounts 2 decimals (`Money`, `Percentage`).
Read-only fields (`lineItemAmount`, computed totals, `taxAmounts`, …) stay None in request bodies
and are therefore left out by `to_api()`.
"""

from __future__ import annotations

from .common import LexwareDateTime, LexwareModel, Money, Percentage, Quantity, UnitAmount
from .enums import (
    ElectronicDocumentProfile,
    LineItemType,
    ShippingType,
    TaxSubType,
    TaxType,
    Tolerant,
    VoucherStatus,
    VoucherType,
)

__all__ = [
    "DocumentFileId",
    "LineItem",
    "PaymentConditions",
    "PaymentDiscountConditions",
    "RelatedVoucher",
    "SalesVoucher",
    "ShippingConditions",
    "TaxAmount",
    "TaxConditions",
    "TotalPrice",
    "UnitPrice",
    "VoucherAddress",
]


class VoucherAddress(LexwareModel):
    """Either `contactId` (a customer) or a one-time address with `name` and `countryCode`;
    address fields sent next to a `contactId` override the contact's for this voucher only."""

    contact_id: str | None = None
    name: str | None = None
    supplement: str | None = None
    street: str | None = None
    city: str | None = None
    zip: str | None = None
    country_code: str | None = None
    contact_person: str | None = None  # read-only


class UnitPrice(LexwareModel):
    """`netAmount` is the input unless taxType is `gross`; Lexware computes the other amount."""

    currency: str | None = None
    net_amount: UnitAmount | None = None
    gross_amount: UnitAmount | None = None
    tax_rate_percentage: Percentage | None = None


class LineItem(LexwareModel):
    """A voucher line. `text` lines carry only name/description. `subItems`, `optional` and
    `alternative` exist on quotations only (§5.20)."""

    id: str | None = None  # references an article for `material`/`service` lines
    type: Tolerant[LineItemType] | None = None
    name: str | None = None
    description: str | None = None
    quantity: Quantity | None = None
    unit_name: str | None = None
    unit_price: UnitPrice | None = None
    discount_percentage: Percentage | None = None
    line_item_amount: Money | None = None  # read-only
    sub_items: list[LineItem] | None = None
    optional: bool | None = None
    alternative: bool | None = None


class TotalPrice(LexwareModel):
    """Only `currency` and the two discounts are inputs; the amounts are computed (§8.3)."""

    currency: str | None = None
    total_net_amount: Money | None = None
    total_gross_amount: Money | None = None
    total_tax_amount: Money | None = None
    total_discount_absolute: Money | None = None
    total_discount_percentage: Percentage | None = None


class TaxAmount(LexwareModel):
    """One entry per tax rate (read-only)."""

    tax_rate_percentage: Percentage | None = None
    tax_amount: Money | None = None
    net_amount: Money | None = None


class TaxConditions(LexwareModel):
    tax_type: Tolerant[TaxType] | None = None
    tax_sub_type: Tolerant[TaxSubType] | None = None
    tax_type_note: str | None = None


class PaymentDiscountConditions(LexwareModel):
    discount_percentage: Percentage | None = None
    discount_range: int | None = None  # days


class PaymentConditions(LexwareModel):
    """Send `paymentTermLabel` whenever sending this object (406 otherwise, §5.1)."""

    payment_term_label: str | None = None
    payment_term_label_template: str | None = None  # read-only
    payment_term_duration: int | None = None  # days
    payment_discount_conditions: PaymentDiscountConditions | None = None


class ShippingConditions(LexwareModel):
    shipping_date: LexwareDateTime | None = None
    shipping_end_date: LexwareDateTime | None = None
    shipping_type: Tolerant[ShippingType] | None = None


class RelatedVoucher(LexwareModel):
    id: str | None = None
    voucher_number: str | None = None
    voucher_type: Tolerant[VoucherType] | None = None


class DocumentFileId(LexwareModel):
    """`GET /v1/{type}/{id}/document` answer and the sales voucher `files` object (§5.3;
    both deprecated since 13.08.2025)."""

    document_file_id: str | None = None


class SalesVoucher(LexwareModel):
    """Fields common to every sales voucher type (§5.1 table).

    The same class serves responses and request bodies: fill only the writable fields
    (`voucherDate`, `address`, `lineItems`, `totalPrice.currency`, `taxConditions`, …).
    """

    id: str | None = None
    organization_id: str | None = None
    created_date: LexwareDateTime | None = None
    updated_date: LexwareDateTime | None = None
    version: int | None = None
    language: str | None = None
    archived: bool | None = None
    voucher_status: Tolerant[VoucherStatus] | None = None
    voucher_number: str | None = None
    voucher_date: LexwareDateTime | None = None
    address: VoucherAddress | None = None
    electronic_document_profile: Tolerant[ElectronicDocumentProfile] | None = None
    line_items: list[LineItem] | None = None
    total_price: TotalPrice | None = None
    tax_amounts: list[TaxAmount] | None = None
    tax_conditions: TaxConditions | None = None
    payment_conditions: PaymentConditions | None = None
    shipping_conditions: ShippingConditions | None = None
    related_vouchers: list[RelatedVoucher] | None = None
    print_layout_id: str | None = None
    title: str | None = None
    introduction: str | None = None
    remark: str | None = None
    delivery_terms: str | None = None
    files: DocumentFileId | None = None
