"""Payment state of a voucher: `GET /v1/payments/{voucherId}` (lexware-api.md §5.15)."""

from __future__ import annotations

from .common import LexwareDateTime, LexwareModel, Money
from .enums import PaymentItemType, PaymentStatus, Tolerant, VoucherStatus, VoucherType

__all__ = ["Payment", "PaymentItem"]


class PaymentItem(LexwareModel):
    payment_item_type: Tolerant[PaymentItemType] | None = None
    posting_date: LexwareDateTime | None = None
    amount: Money | None = None  # always positive
    currency: str | None = None


class Payment(LexwareModel):
    """`openAmount` is positive for revenue and expense alike and was seen as a string once;
    `paidDate` is present for `paid`/`paidoff` only."""

    open_amount: Money | None = None
    currency: str | None = None
    payment_status: Tolerant[PaymentStatus] | None = None
    voucher_type: Tolerant[VoucherType] | None = None
    voucher_status: Tolerant[VoucherStatus] | None = None
    paid_date: LexwareDateTime | None = None
    payment_items: list[PaymentItem] | None = None
