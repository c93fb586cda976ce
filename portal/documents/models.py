"""Mirror of everything the voucherlist lists (sales documents and bookkeeping vouchers),
plus dunnings, payments and recurring templates.

A row is created from its voucherlist row (§5.22) with the list columns filled; `raw` holds
the full document once its details were fetched (`details_synced_at`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.mirror import MirrorModel

SALES_TYPES = (
    "invoice",
    "downpaymentinvoice",
    "creditnote",
    "quotation",
    "orderconfirmation",
    "deliverynote",
    "dunning",
)
BOOKKEEPING_TYPES = ("salesinvoice", "salescreditnote", "purchaseinvoice", "purchasecreditnote")

TYPE_LABELS = {
    "invoice": _("Invoice"),
    "downpaymentinvoice": _("Down-payment invoice"),
    "creditnote": _("Credit note"),
    "quotation": _("Quotation"),
    "orderconfirmation": _("Order confirmation"),
    "deliverynote": _("Delivery note"),
    "dunning": _("Dunning"),
    "salesinvoice": _("Sales voucher"),
    "salescreditnote": _("Sales credit voucher"),
    "purchaseinvoice": _("Purchase voucher"),
    "purchasecreditnote": _("Purchase credit voucher"),
}

# Lexware API path segment per sales type (lexware-api.md §5.0).
API_RESOURCE = {
    "invoice": "invoices",
    "downpaymentinvoice": "down_payment_invoices",
    "creditnote": "credit_notes",
    "quotation": "quotations",
    "orderconfirmation": "order_confirmations",
    "deliverynote": "delivery_notes",
    "dunning": "dunnings",
}


class Document(MirrorModel):
    voucher_type = models.CharField(max_length=30)
    status = models.CharField(max_length=20, blank=True)
    voucher_number = models.CharField(max_length=100, blank=True)
    voucher_date = models.DateTimeField(null=True, blank=True)
    due_date = models.DateTimeField(null=True, blank=True)
    contact_lexware_id = models.UUIDField(null=True, blank=True)
    contact_name = models.CharField(max_length=300, blank=True)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    open_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    archived = models.BooleanField(default=False)
    lexware_created_at = models.DateTimeField(null=True, blank=True)
    lexware_updated_at = models.DateTimeField(null=True, blank=True)
    details_synced_at = models.DateTimeField(null=True, blank=True)
    # Lexware's updatedDate at the time the details were fetched: details are stale when the
    # list row reports a newer one.
    details_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-voucher_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "lexware_id"], name="document_unique_per_org"
            )
        ]
        indexes = [
            models.Index(
                fields=["organization", "voucher_type", "-voucher_date"],
                name="document_org_type_date",
            ),
            models.Index(fields=["organization", "-voucher_date"], name="document_org_date"),
            models.Index(fields=["organization", "status"], name="document_org_status"),
            models.Index(
                fields=["organization", "contact_lexware_id"], name="document_org_contact"
            ),
            models.Index(fields=["organization", "voucher_number"], name="document_org_number"),
            models.Index(fields=["organization", "due_date"], name="document_org_due"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_type} {self.voucher_number or self.lexware_id}"

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.voucher_type, self.voucher_type))

    @property
    def is_sales(self) -> bool:
        return self.voucher_type in SALES_TYPES

    @property
    def has_details(self) -> bool:
        return self.details_synced_at is not None

    @property
    def details_stale(self) -> bool:
        if self.details_synced_at is None:
            return True
        return bool(
            self.lexware_updated_at
            and self.details_updated_at
            and self.lexware_updated_at > self.details_updated_at
        )


class Payment(MirrorModel):
    """GET /v1/payments/{voucherId} (§5.15); lexware_id is the voucher's id."""

    open_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    payment_status = models.CharField(max_length=20, blank=True)
    voucher_status = models.CharField(max_length=20, blank=True)
    paid_date = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "lexware_id"], name="payment_unique_per_org"
            )
        ]


class RecurringTemplate(MirrorModel):
    title = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField(max_length=300, blank=True)
    total_gross_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    execution_interval = models.CharField(max_length=20, blank=True)
    execution_status = models.CharField(max_length=20, blank=True)
    next_execution_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["next_execution_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "lexware_id"], name="recurring_unique_per_org"
            )
        ]
