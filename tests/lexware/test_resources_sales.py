"""Sales documents: create (draft/finalized/pursue), get, file, document (§5.2, §5.3, §5.10)."""

from __future__ import annotations

import httpx
import pytest

from lexware import errors
from lexware.models import (
    CreditNote,
    DeliveryNote,
    DownPaymentInvoice,
    Dunning,
    Invoice,
    OrderConfirmation,
    Quotation,
)
from tests.lexware.mock_lexware import ACTION, ID, ID2, Recorder, json_response, make_client

BODY = {
    "voucherDate": "2026-03-02T00:00:00.000+01:00",
    "address": {"contactId": ID2},
    "lineItems": [
        {
            "type": "custom",
            "name": "Beratung",
            "quantity": 3,
            "unitName": "Stunde",
            "unitPrice": {"currency": "EUR", "netAmount": 10.0, "taxRatePercentage": 19},
        }
    ],
    "totalPrice": {"currency": "EUR"},
    "taxConditions": {"taxType": "net"},
}
RESOURCES = [
    ("invoices", "/v1/invoices", Invoice),
    ("quotations", "/v1/quotations", Quotation),
    ("credit_notes", "/v1/credit-notes", CreditNote),
    ("order_confirmations", "/v1/order-confirmations", OrderConfirmation),
    ("delivery_notes", "/v1/delivery-notes", DeliveryNote),
    ("dunnings", "/v1/dunnings", Dunning),
    ("down_payment_invoices", "/v1/down-payment-invoices", DownPaymentInvoice),
]
PDF = httpx.Response(
    200,
    headers={
        "Content-Type": "application/pdf",
        "Content-Disposition": 'attachment; filename="Rechnung_RE0001.pdf"',
    },
    content=b"%PDF-1.4 fake",
)


@pytest.mark.parametrize(("name", "path", "model"), RESOURCES)
def test_get_file_and_document(name: str, path: str, model: type) -> None:
    recorder = Recorder(
        [
            json_response(200, {"id": ID, "voucherStatus": "open"}),
            PDF,
            json_response(200, {"documentFileId": ID2}),
        ]
    )
    resource = getattr(make_client(recorder), name)
    document = resource.get(ID)
    assert isinstance(document, model) and document.id == ID
    assert (recorder.last.method, recorder.last.path) == ("GET", f"{path}/{ID}")

    downloaded = resource.file(ID, accept="pdf")
    assert recorder.last.path == f"{path}/{ID}/file"
    assert recorder.last.headers["Accept"] == "application/pdf"
    assert downloaded.content == b"%PDF-1.4 fake"
    assert downloaded.filename == "Rechnung_RE0001.pdf"
    assert downloaded.media_type == "application/pdf"

    if name == "down_payment_invoices":
        assert not hasattr(resource, "document") and not hasattr(resource, "create")
    else:
        assert resource.document(ID).document_file_id == ID2
        assert recorder.last.path == f"{path}/{ID}/document"


@pytest.mark.parametrize(("accept", "header"), [("xml", "application/xml"), ("*/*", "*/*")])
def test_file_accept_values(accept: str, header: str) -> None:
    xml = httpx.Response(
        200, headers={"Content-Type": "application/xml; charset=utf-8"}, content=b"<Invoice/>"
    )
    recorder = Recorder([xml])
    downloaded = make_client(recorder).invoices.file(ID, accept=accept)
    assert recorder.last.headers["Accept"] == header
    assert downloaded.media_type == "application/xml"
    assert downloaded.filename == f"invoice-{ID}"  # no Content-Disposition: a safe fallback


def test_unknown_accept_is_refused_before_sending() -> None:
    recorder = Recorder([PDF])
    with pytest.raises(errors.InvalidRequestError):
        make_client(recorder).invoices.file(ID, accept="text/html")
    assert recorder.sent == []


def test_content_disposition_cannot_point_into_a_directory() -> None:
    evil = httpx.Response(
        200,
        headers={"Content-Disposition": "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd"},
        content=b"x",
    )
    assert make_client(Recorder([evil])).credit_notes.file(ID).filename == "passwd"


@pytest.mark.parametrize(("name", "path", "model"), RESOURCES[:5])
def test_create_draft_finalized_and_pursued(name: str, path: str, model: type) -> None:
    recorder = Recorder([json_response(201, ACTION)])
    resource = getattr(make_client(recorder), name)
    assert resource.create(BODY).id == ID
    assert (recorder.last.method, recorder.last.path, recorder.last.query) == ("POST", path, {})
    assert recorder.last.json() == BODY
    resource.create(BODY, finalize=True)
    assert recorder.last.query == {"finalize": "true"}
    if name == "quotations":
        with pytest.raises(errors.InvalidRequestError):
            resource.create(BODY, preceding_sales_voucher_id=ID2)
    else:
        resource.create(BODY, preceding_sales_voucher_id=ID2)
        assert recorder.last.query == {"precedingSalesVoucherId": ID2}


def test_create_accepts_a_model() -> None:
    recorder = Recorder([json_response(201, ACTION)])
    make_client(recorder).invoices.create(Invoice.model_validate(BODY))
    sent = recorder.last.json()
    assert sent["address"] == {"contactId": ID2}
    assert sent["lineItems"][0]["unitPrice"]["netAmount"] == 10.0


def test_dunning_requires_its_invoice_and_is_never_finalized() -> None:
    recorder = Recorder([json_response(201, ACTION)])
    dunnings = make_client(recorder).dunnings
    with pytest.raises(errors.InvalidRequestError):
        dunnings.create(BODY)
    with pytest.raises(errors.InvalidRequestError):
        dunnings.create(BODY, preceding_sales_voucher_id=ID2, finalize=True)
    assert recorder.sent == []
    dunnings.create(BODY, preceding_sales_voucher_id=ID2)
    assert (recorder.last.path, recorder.last.query) == (
        "/v1/dunnings",
        {"precedingSalesVoucherId": ID2},
    )
