"""The closed vocabularies of the API, as `StrEnum`s, and `Tolerant[...]` to use them in fields.

Lexware says new voucher types and statuses may appear at any time (lexware-api.md §5.22), so a
model must never fail on a value it does not know: `Tolerant[VoucherStatus]` validates a known
value to the enum member and keeps any other string as a plain `str`. Because `StrEnum` members
are strings, `model.voucher_status == "open"` and `== VoucherStatus.OPEN` both work either way.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import Field

__all__ = [
    "ArticleType",
    "BusinessFeature",
    "DistanceSalesPrinciple",
    "ElectronicDocumentProfile",
    "EventType",
    "ExecutionInterval",
    "ExecutionStatus",
    "FileStatusValue",
    "Language",
    "LeadingPrice",
    "LineItemType",
    "PaymentItemType",
    "PaymentStatus",
    "PostingCategoryType",
    "ShippingType",
    "TaxClassification",
    "TaxSubType",
    "TaxType",
    "Tolerant",
    "VoucherStatus",
    "VoucherType",
]

EnumT = TypeVar("EnumT", bound=StrEnum)

# left_to_right: pydantic's default "smart" union would pick `str` for a str input (an exact type
# match) and never produce the enum member.
Tolerant = Annotated[EnumT | str, Field(union_mode="left_to_right")]


class VoucherType(StrEnum):
    """`voucherType` of the voucherlist (§5.22), payments (§5.15), related vouchers, and the
    bookkeeping voucher `type` (§5.23)."""

    SALES_INVOICE = "salesinvoice"
    SALES_CREDIT_NOTE = "salescreditnote"
    PURCHASE_INVOICE = "purchaseinvoice"
    PURCHASE_CREDIT_NOTE = "purchasecreditnote"
    INVOICE = "invoice"
    DOWN_PAYMENT_INVOICE = "downpaymentinvoice"
    CREDIT_NOTE = "creditnote"
    ORDER_CONFIRMATION = "orderconfirmation"
    QUOTATION = "quotation"
    DELIVERY_NOTE = "deliverynote"
    # Not accepted as a voucherlist filter, but the type name of dunnings elsewhere.
    DUNNING = "dunning"


class VoucherStatus(StrEnum):
    """Voucher statuses of §6.1 (`overdue` is derived and appears in the voucherlist only)."""

    DRAFT = "draft"
    OPEN = "open"
    OVERDUE = "overdue"
    PAID = "paid"
    PAID_OFF = "paidoff"
    VOIDED = "voided"
    TRANSFERRED = "transferred"
    SEPA_DEBIT = "sepadebit"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNCHECKED = "unchecked"
    BLANK = "blank"


class TaxType(StrEnum):
    """`taxConditions.taxType` of sales vouchers (§5.1); bookkeeping vouchers and the profile use
    the subset net/gross(/vatfree)."""

    NET = "net"
    GROSS = "gross"
    VAT_FREE = "vatfree"
    INTRA_COMMUNITY_SUPPLY = "intraCommunitySupply"
    CONSTRUCTION_SERVICE_13B = "constructionService13b"
    EXTERNAL_SERVICE_13B = "externalService13b"
    THIRD_PARTY_COUNTRY_SERVICE = "thirdPartyCountryService"
    THIRD_PARTY_COUNTRY_DELIVERY = "thirdPartyCountryDelivery"
    PHOTOVOLTAIC_EQUIPMENT = "photovoltaicEquipment"


class TaxSubType(StrEnum):
    """`taxConditions.taxSubType` for EU B2C distance sales (§5.1)."""

    DISTANCE_SALES = "distanceSales"
    ELECTRONIC_SERVICES = "electronicServices"


class LineItemType(StrEnum):
    """Line item `type` (§5.1), lowercase unlike `ArticleType`."""

    CUSTOM = "custom"
    MATERIAL = "material"
    SERVICE = "service"
    TEXT = "text"


class ShippingType(StrEnum):
    """`shippingConditions.shippingType` (§5.1), always lowercase."""

    SERVICE = "service"
    SERVICE_PERIOD = "serviceperiod"
    DELIVERY = "delivery"
    DELIVERY_PERIOD = "deliveryperiod"
    NONE = "none"


class ArticleType(StrEnum):
    """Article `type` (§5.4), uppercase."""

    PRODUCT = "PRODUCT"
    SERVICE = "SERVICE"


class LeadingPrice(StrEnum):
    """Which article price is the input; the other is computed (§5.4)."""

    NET = "NET"
    GROSS = "GROSS"


class PaymentStatus(StrEnum):
    """`paymentStatus` of the payments endpoint (§5.15)."""

    BALANCED = "balanced"
    OPEN_REVENUE = "openRevenue"
    OPEN_EXPENSE = "openExpense"


class PaymentItemType(StrEnum):
    """`paymentItems[].paymentItemType` (§5.15)."""

    PART_PAYMENT_FINANCIAL_TRANSACTION = "partPaymentFinancialTransaction"
    PART_PAYMENT_CREDIT_NOTE = "partPaymentCreditNote"
    PART_PAYMENT_CASH_BOX = "partPaymentCashBox"
    MANUAL_PAYMENT = "manualPayment"
    CASH_DISCOUNT = "cashDiscount"
    DUNNING_COSTS = "dunningCosts"
    CURRENCY_CONVERSION = "currencyConversion"
    IRRECOVERABLE_RECEIVABLE = "irrecoverableReceivable"


class ExecutionInterval(StrEnum):
    """`recurringTemplateSettings.executionInterval` (§5.21)."""

    WEEKLY = "WEEKLY"
    BIWEEKLY = "BIWEEKLY"
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    BIANNUALLY = "BIANNUALLY"
    ANNUALLY = "ANNUALLY"


class ExecutionStatus(StrEnum):
    """`recurringTemplateSettings.executionStatus` (§5.21); there is no error state."""

    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    ENDED = "ENDED"


class ElectronicDocumentProfile(StrEnum):
    """`electronicDocumentProfile` of sales vouchers (§5.1)."""

    NONE = "NONE"
    EN16931 = "EN16931"
    XRECHNUNG = "XRechnung"


class FileStatusValue(StrEnum):
    """`GET /v1/files/{id}/status` → `status` (§5.12)."""

    UPLOAD_PROCESSING = "upload_processing"
    UPLOAD_SUCCESS = "upload_success"
    UPLOAD_FAILED = "upload_failed"


class Language(StrEnum):
    """Sales voucher `language` (§5.1, §8.5)."""

    DE = "de"
    EN = "en"


class TaxClassification(StrEnum):
    """Country `taxClassification` (§5.6)."""

    DE = "de"
    INTRA_COMMUNITY = "intraCommunity"
    THIRD_PARTY_COUNTRY = "thirdPartyCountry"


class PostingCategoryType(StrEnum):
    """Posting category `type` (§5.17)."""

    INCOME = "income"
    OUTGO = "outgo"


class DistanceSalesPrinciple(StrEnum):
    """Profile `distanceSalesPrinciple` (§5.19)."""

    ORIGIN = "ORIGIN"
    DESTINATION = "DESTINATION"


class BusinessFeature(StrEnum):
    """Profile `businessFeatures` entries (§5.19)."""

    INVOICING = "INVOICING"
    INVOICING_PRO = "INVOICING_PRO"
    BOOKKEEPING = "BOOKKEEPING"


class EventType(StrEnum):
    """The 42 webhook event types of §7.1 (all lowercase, `resource.event`)."""

    ARTICLE_CREATED = "article.created"
    ARTICLE_CHANGED = "article.changed"
    ARTICLE_DELETED = "article.deleted"
    CONTACT_CREATED = "contact.created"
    CONTACT_CHANGED = "contact.changed"
    CONTACT_DELETED = "contact.deleted"
    CREDIT_NOTE_CREATED = "credit-note.created"
    CREDIT_NOTE_CHANGED = "credit-note.changed"
    CREDIT_NOTE_DELETED = "credit-note.deleted"
    CREDIT_NOTE_STATUS_CHANGED = "credit-note.status.changed"
    DELIVERY_NOTE_CREATED = "delivery-note.created"
    DELIVERY_NOTE_CHANGED = "delivery-note.changed"
    DELIVERY_NOTE_DELETED = "delivery-note.deleted"
    DELIVERY_NOTE_STATUS_CHANGED = "delivery-note.status.changed"
    DOWN_PAYMENT_INVOICE_CREATED = "down-payment-invoice.created"
    DOWN_PAYMENT_INVOICE_CHANGED = "down-payment-invoice.changed"
    DOWN_PAYMENT_INVOICE_DELETED = "down-payment-invoice.deleted"
    DOWN_PAYMENT_INVOICE_STATUS_CHANGED = "down-payment-invoice.status.changed"
    DUNNING_CREATED = "dunning.created"
    DUNNING_CHANGED = "dunning.changed"
    DUNNING_DELETED = "dunning.deleted"
    INVOICE_CREATED = "invoice.created"
    INVOICE_CHANGED = "invoice.changed"
    INVOICE_DELETED = "invoice.deleted"
    INVOICE_STATUS_CHANGED = "invoice.status.changed"
    ORDER_CONFIRMATION_CREATED = "order-confirmation.created"
    ORDER_CONFIRMATION_CHANGED = "order-confirmation.changed"
    ORDER_CONFIRMATION_DELETED = "order-confirmation.deleted"
    ORDER_CONFIRMATION_STATUS_CHANGED = "order-confirmation.status.changed"
    QUOTATION_CREATED = "quotation.created"
    QUOTATION_CHANGED = "quotation.changed"
    QUOTATION_DELETED = "quotation.deleted"
    QUOTATION_STATUS_CHANGED = "quotation.status.changed"
    RECURRING_TEMPLATE_CREATED = "recurring-template.created"
    RECURRING_TEMPLATE_CHANGED = "recurring-template.changed"
    RECURRING_TEMPLATE_DELETED = "recurring-template.deleted"
    VOUCHER_CREATED = "voucher.created"
    VOUCHER_CHANGED = "voucher.changed"
    VOUCHER_DELETED = "voucher.deleted"
    VOUCHER_STATUS_CHANGED = "voucher.status.changed"
    PAYMENT_CHANGED = "payment.changed"
    TOKEN_REVOKED = "token.revoked"
