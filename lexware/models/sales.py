"""The concrete sales voucher types (lexware-api.md §5.7-§5.10, §5.13, §5.14, §5.20).

Each adds only its own extra fields to `SalesVoucher`; which shared fields a type accepts on
create is listed in its section of the contract (e.g. credit notes take no shipping/payment
conditions, quotations require `expirationDate`).
"""

from __future__ import annotations

from .common import LexwareDateTime, LexwareModel, Money, Percentage
from .enums import Tolerant, VoucherType

# The shared building blocks are re-exported so `from lexware.models.sales import LineItem` works.
from .sales_common import (
    DocumentFileId,
    LineItem,
    PaymentConditions,
    PaymentDiscountConditions,
    RelatedVoucher,
    SalesVoucher,
    ShippingConditions,
    TaxAmount,
    TaxConditions,
    TotalPrice,
    UnitPrice,
    VoucherAddress,
)

__all__ = [
    "CreditNote",
    "DeliveryNote",
    "DownPaymentDeduction",
    "DownPaymentInvoice",
    "Dunning",
    "Invoice",
    "OrderConfirmation",
    "Quotation",
    "XRechnungInvoice",
    # re-exported from sales_common
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


class XRechnungInvoice(LexwareModel):
    """Invoice `xRechnung`: overrides the contact's Leitweg-ID; `""` forces a standard invoice."""

    buyer_reference: str | None = None


class DownPaymentDeduction(LexwareModel):
    """A down payment deducted by a closing invoice (read-only, §5.13)."""

    id: str | None = None
    voucher_type: Tolerant[VoucherType] | None = None
    title: str | None = None
    voucher_number: str | None = None
    voucher_date: LexwareDateTime | None = None
    received_gross_amount: Money | None = None
    received_net_amount: Money | None = None
    received_tax_amount: Money | None = None
    tax_rate_percentage: Percentage | None = None


class Invoice(SalesVoucher):
    """§5.13. `dueDate`, `closingInvoice`, `claimedGrossAmount` and the deductions are
    read-only; `recurringTemplateId` is set on invoices generated from a template."""

    due_date: LexwareDateTime | None = None
    x_rechnung: XRechnungInvoice | None = None
    closing_invoice: bool | None = None
    claimed_gross_amount: Money | None = None
    down_payment_deductions: list[DownPaymentDeduction] | None = None
    recurring_template_id: str | None = None


class DownPaymentInvoice(SalesVoucher):
    """§5.9, read-only; exactly one line item; `closingInvoiceId` once deducted."""

    due_date: LexwareDateTime | None = None
    x_rechnung: XRechnungInvoice | None = None
    closing_invoice_id: str | None = None


class Quotation(SalesVoucher):
    """§5.20; `expirationDate` is required on create. Totals exclude optional and alternative
    items."""

    expiration_date: LexwareDateTime | None = None


class CreditNote(SalesVoucher):
    """§5.7: no due date, shipping/payment conditions or discounts."""


class OrderConfirmation(SalesVoucher):
    """§5.14: requires shipping conditions; optional `deliveryTerms`."""


class DeliveryNote(SalesVoucher):
    """§5.8: no totals; unit prices optional; optional `deliveryTerms`."""


class Dunning(SalesVoucher):
    """§5.10: always a draft, created with the mandatory `precedingSalesVoucherId`."""
