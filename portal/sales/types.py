"""The sales types the editor writes, and what each allows (lexware-api.md §5.1, §5.7–§5.20).

Dunnings are not here: they are made by a dunning run from an invoice (§5.10), elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SalesType:
    # URL segment and the voucherlist's `voucherType` (§5.22); also the mirror's voucher_type.
    voucher_type: str
    # The LexwareClient resource (`client.invoices`).
    resource: str
    label: Promise
    new_label: Promise
    # What the type's create body may or must carry.
    shipping: bool = False  # shippingConditions required (§5.1)
    payment: bool = False  # paymentConditions allowed
    discounts: bool = True  # line and total discounts (none on credit notes, §5.7)
    totals: bool = True  # delivery notes have no prices to total (§5.8)
    expiration: bool = False  # quotations need an expirationDate (§5.20)
    delivery_terms: bool = False  # order confirmations and delivery notes

    @property
    def kind(self) -> str:
        """The write kind that creates it (portal/sales/handlers.py)."""
        return f"{self.voucher_type}.create"


SALES_TYPES: dict[str, SalesType] = {
    t.voucher_type: t
    for t in (
        SalesType(
            "quotation",
            "quotations",
            _("Quotation"),
            _("New quotation"),
            payment=True,
            expiration=True,
        ),
        SalesType(
            "orderconfirmation",
            "order_confirmations",
            _("Order confirmation"),
            _("New order confirmation"),
            shipping=True,
            payment=True,
            delivery_terms=True,
        ),
        SalesType(
            "deliverynote",
            "delivery_notes",
            _("Delivery note"),
            _("New delivery note"),
            shipping=True,
            discounts=False,
            totals=False,
            delivery_terms=True,
        ),
        SalesType(
            "invoice", "invoices", _("Invoice"), _("New invoice"), shipping=True, payment=True
        ),
        SalesType(
            "creditnote", "credit_notes", _("Credit note"), _("New credit note"), discounts=False
        ),
    )
}
KINDS = {t.kind: t for t in SALES_TYPES.values()}


def sales_type(voucher_type: str) -> SalesType:
    try:
        return SALES_TYPES[voucher_type]
    except KeyError:
        raise Http404("no such document type") from None
