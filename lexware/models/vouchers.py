"""Bookkeeping vouchers ("Belege", lexware-api.md §5.23) and voucherlist rows (§5.22).

Bookkeeping dates are sent as `yyyy-MM-dd` but come back as timestamps; `LexwareDate` reads
both (taking the Berlin calendar day of a timestamp) and always writes the date form.
"""

from __future__ import annotations

from .common import LexwareDate, LexwareDateTime, LexwareModel, Money, Percentage
from .enums import TaxType, Tolerant, VoucherStatus, VoucherType

__all__ = ["Voucher", "VoucherItem", "VoucherlistItem"]


class VoucherItem(LexwareModel):
    """One position per tax rate/category; all four fields are required by Lexware."""

    amount: Money | None = None
    tax_amount: Money | None = None
    tax_rate_percent: Percentage | None = None
    category_id: str | None = None


class Voucher(LexwareModel):
    """A bookkeeping voucher. Only `open`/`unchecked` are writable statuses; omitting a file id
    from `files` on PUT deletes that file permanently (§5.23)."""

    id: str | None = None
    organization_id: str | None = None
    type: Tolerant[VoucherType] | None = None
    voucher_status: Tolerant[VoucherStatus] | None = None
    voucher_number: str | None = None
    voucher_date: LexwareDate | None = None
    shipping_date: LexwareDate | None = None
    due_date: LexwareDate | None = None
    total_gross_amount: Money | None = None
    total_tax_amount: Money | None = None
    tax_type: Tolerant[TaxType] | None = None
    use_collective_contact: bool | None = None
    contact_id: str | None = None
    contact_name: str | None = None
    remark: str | None = None
    voucher_items: list[VoucherItem] | None = None
    files: list[str] | None = None
    created_date: LexwareDateTime | None = None
    updated_date: LexwareDateTime | None = None
    version: int | None = None


class VoucherlistItem(LexwareModel):
    """One row of `GET /v1/voucherlist`. `contactId` None = collective contact; `openAmount` is
    None for drafts and non-invoice types; new types/statuses may appear (kept as strings)."""

    id: str
    voucher_type: Tolerant[VoucherType] | None = None
    voucher_status: Tolerant[VoucherStatus] | None = None
    voucher_number: str | None = None
    voucher_date: LexwareDateTime | None = None
    created_date: LexwareDateTime | None = None
    updated_date: LexwareDateTime | None = None
    due_date: LexwareDateTime | None = None
    contact_id: str | None = None
    contact_name: str | None = None
    total_amount: Money | None = None
    open_amount: Money | None = None
    currency: str | None = None
    archived: bool | None = None
