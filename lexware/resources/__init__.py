"""One module per API area; each class is reached as ``client.<name>``."""

from __future__ import annotations

from lexware.resources.articles import Articles
from lexware.resources.contacts import Contacts
from lexware.resources.event_subscriptions import EventSubscriptions
from lexware.resources.files import Files
from lexware.resources.reference import (
    Countries,
    PaymentConditions,
    Payments,
    PostingCategories,
    PrintLayouts,
    ProfileResource,
    RecurringTemplates,
)
from lexware.resources.sales import (
    CreditNotes,
    DeliveryNotes,
    DownPaymentInvoices,
    Dunnings,
    Invoices,
    OrderConfirmations,
    Quotations,
)
from lexware.resources.voucherlist import Voucherlist
from lexware.resources.vouchers import Vouchers

__all__ = [
    "Articles",
    "Contacts",
    "Countries",
    "CreditNotes",
    "DeliveryNotes",
    "DownPaymentInvoices",
    "Dunnings",
    "EventSubscriptions",
    "Files",
    "Invoices",
    "OrderConfirmations",
    "PaymentConditions",
    "Payments",
    "PostingCategories",
    "PrintLayouts",
    "ProfileResource",
    "Quotations",
    "RecurringTemplates",
    "Voucherlist",
    "Vouchers",
]
