"""Recurring templates (lexware-api.md §5.21), read-only.

Same shape as an invoice without voucherStatus/voucherNumber/voucherDate/dueDate/
shippingConditions/files, plus `recurringTemplateSettings`. List entries are reduced (id, title,
dates, address, totals, payment conditions, settings): the same model, fewer fields set.
"""

from __future__ import annotations

from .common import LexwareDate, LexwareModel
from .enums import ExecutionInterval, ExecutionStatus, ShippingType, Tolerant
from .sales import XRechnungInvoice
from .sales_common import SalesVoucher

__all__ = ["RecurringTemplate", "RecurringTemplateSettings"]


class RecurringTemplateSettings(LexwareModel):
    """`startDate` None means paused; `finalize=True` invoices are e-mailed automatically."""

    id: str | None = None
    start_date: LexwareDate | None = None
    end_date: LexwareDate | None = None
    finalize: bool | None = None
    shipping_type: Tolerant[ShippingType] | None = None
    retroactive_invoice: bool | None = None
    execution_interval: Tolerant[ExecutionInterval] | None = None
    next_execution_date: LexwareDate | None = None
    last_execution_date: LexwareDate | None = None
    last_execution_failed: bool | None = None
    last_execution_error_message: str | None = None
    execution_status: Tolerant[ExecutionStatus] | None = None


class RecurringTemplate(SalesVoucher):
    x_rechnung: XRechnungInvoice | None = None
    recurring_template_settings: RecurringTemplateSettings | None = None
