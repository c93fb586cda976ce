"""Sales documents (§5.1–§5.3, §5.7–§5.10, §5.13, §5.14, §5.20): invoices, quotations,
credit notes, order confirmations, delivery notes, dunnings and the read-only down payment
invoices. There are no list endpoints (use the voucherlist) and no PUT (§3).
"""

from __future__ import annotations

from typing import ClassVar, Generic, cast

from lexware._http import ParamValue
from lexware.errors import InvalidRequestError
from lexware.models import (
    ActionResult,
    CreditNote,
    DeliveryNote,
    DocumentFileId,
    DownloadedFile,
    DownPaymentInvoice,
    Dunning,
    Invoice,
    LexwareModel,
    OrderConfirmation,
    Quotation,
)
from lexware.resources._base import Body, ModelT, Resource, require_id, to_body


class _ReadableSalesDocuments(Resource, Generic[ModelT]):
    model: ClassVar[type[LexwareModel]]
    # File-name stem when Content-Disposition is missing.
    file_stem: ClassVar[str] = "document"

    def get(self, document_id: str) -> ModelT:
        data = self._get_json(f"{self.path}/{require_id(document_id, 'document_id')}")
        return cast(ModelT, self.model.model_validate(data))

    def file(self, document_id: str, *, accept: str = "pdf") -> DownloadedFile:
        """``GET …/{id}/file`` (§5.3): ``accept`` is "pdf", "xml" or "*/*". A draft is answered
        with ConflictError (409), XML of a non-XRechnung document with NotFoundError, an
        unsupported type with ValidationError (406)."""
        document_id = require_id(document_id, "document_id")
        return self._download(
            f"{self.path}/{document_id}/file", accept, f"{self.file_stem}-{document_id}"
        )


class _SalesDocuments(_ReadableSalesDocuments[ModelT]):
    allows_preceding: ClassVar[bool] = True
    requires_preceding: ClassVar[bool] = False
    allows_finalize: ClassVar[bool] = True

    def document(self, document_id: str) -> DocumentFileId:
        """Deprecated ``GET …/{id}/document`` → ``{documentFileId}``; download that id with
        ``client.files.download``. Drafts → ValidationError (406), except dunnings."""
        data = self._get_json(f"{self.path}/{require_id(document_id, 'document_id')}/document")
        return DocumentFileId.model_validate(data)

    def create(
        self,
        document: Body,
        *,
        finalize: bool = False,
        preceding_sales_voucher_id: str | None = None,
    ) -> ActionResult:
        """Create a draft, or a finalized document with ``finalize=True``; pursue a preceding
        sales voucher with ``preceding_sales_voucher_id`` (§5.2).

        A create is a POST: if Lexware may have executed it but did not answer, it raises
        AmbiguousWriteError and is not re-sent.
        """
        params: dict[str, ParamValue] = {}
        if finalize:
            if not self.allows_finalize:
                raise InvalidRequestError(f"{self.name} cannot be finalized through the API")
            params["finalize"] = True
        if preceding_sales_voucher_id is not None:
            if not self.allows_preceding:
                raise InvalidRequestError(f"{self.name} cannot pursue another sales voucher")
            params["precedingSalesVoucherId"] = require_id(
                preceding_sales_voucher_id, "preceding_sales_voucher_id"
            )
        elif self.requires_preceding:
            raise InvalidRequestError(
                f"{self.name} need preceding_sales_voucher_id (the invoice being dunned)"
            )
        raw = self._request("POST", self.path, params=params, json=to_body(document))
        return ActionResult.model_validate(raw.json())


class Invoices(_SalesDocuments[Invoice]):
    name = "invoices"
    path = "/v1/invoices"
    model = Invoice
    file_stem = "invoice"


class Quotations(_SalesDocuments[Quotation]):
    """§5.20: no pursue into quotations."""

    name = "quotations"
    path = "/v1/quotations"
    model = Quotation
    file_stem = "quotation"
    allows_preceding = False


class CreditNotes(_SalesDocuments[CreditNote]):
    name = "credit_notes"
    path = "/v1/credit-notes"
    model = CreditNote
    file_stem = "credit-note"


class OrderConfirmations(_SalesDocuments[OrderConfirmation]):
    name = "order_confirmations"
    path = "/v1/order-confirmations"
    model = OrderConfirmation
    file_stem = "order-confirmation"


class DeliveryNotes(_SalesDocuments[DeliveryNote]):
    name = "delivery_notes"
    path = "/v1/delivery-notes"
    model = DeliveryNote
    file_stem = "delivery-note"


class Dunnings(_SalesDocuments[Dunning]):
    """§5.10: ``precedingSalesVoucherId`` is mandatory; dunnings are always drafts."""

    name = "dunnings"
    path = "/v1/dunnings"
    model = Dunning
    file_stem = "dunning"
    requires_preceding = True
    allows_finalize = False


class DownPaymentInvoices(_ReadableSalesDocuments[DownPaymentInvoice]):
    """§5.9: read-only (created in the web app only)."""

    name = "down_payment_invoices"
    path = "/v1/down-payment-invoices"
    model = DownPaymentInvoice
    file_stem = "down-payment-invoice"
