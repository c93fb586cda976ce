"""Rendered documents: `/file` and `/document` (lexware-api.md §5.3, §5.13, Appendix A)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader

from tests.lexware.simulator.sales_helpers import (
    body_for,
    create,
    create_contact,
    invoice_body,
    make_client,
)

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
LEITWEG = {"xRechnung": {"buyerReference": "04011000-12345-67", "vendorNumberAtCustomer": "K-4711"}}


@pytest.fixture
def setup() -> Any:
    sim, client = make_client()
    return sim, client, create_contact(client), create_contact(client, "Stadtwerke Süd", **LEITWEG)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_of_a_finalized_invoice(setup: Any) -> None:
    """§5.3: a real PDF with number, recipient and total; Appendix A filename Rechnung_RE10001.pdf."""
    _, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    response = client.get(
        f"/v1/invoices/{invoice['id']}/file", headers={"Accept": "application/pdf"}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="Rechnung_RE10001.pdf"'
    text = pdf_text(response.content)
    assert (
        "RE10001" in text and "Müller & Söhne GmbH" in text and "41,04" in text and "19 %" in text
    )


def test_draft_file_is_409_and_document_is_406(setup: Any) -> None:
    """§5.3: draft → 409 on /file, 406 on /document."""
    _, client, contact, _ = setup
    draft = create(client, "invoices", invoice_body(contact))
    assert client.get(f"/v1/invoices/{draft['id']}/file").status_code == 409
    assert client.get(f"/v1/invoices/{draft['id']}/document").status_code == 406
    assert client.get("/v1/invoices/00000000-0000-4000-8000-000000000000/file").status_code == 404


def test_document_returns_a_file_id_served_by_files(setup: Any) -> None:
    """§5.3 deprecated /document → {documentFileId}; GET /v1/files/{id} serves the PDF."""
    _, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    file_id = client.get(f"/v1/invoices/{invoice['id']}/document").json()["documentFileId"]
    assert (
        client.get(f"/v1/invoices/{invoice['id']}/document").json()["documentFileId"] == file_id
    )  # cached
    response = client.get(f"/v1/files/{file_id}", headers={"Accept": "application/pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_dunning_renders_although_draft(setup: Any) -> None:
    """§5.3/§5.10: /document works for (draft) dunnings."""
    _, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    dunning = create(
        client, "dunnings", body_for("dunning", contact), precedingSalesVoucherId=invoice["id"]
    )
    assert client.get(f"/v1/dunnings/{dunning['id']}/document").status_code == 200


def test_accept_negotiation_regular_invoice(setup: Any) -> None:
    """§5.3 table, regular profile: */* → PDF, XML → 404, other → 406; quotations PDF only."""
    _, client, contact, _ = setup
    invoice = create(client, "invoices", invoice_body(contact), finalize="true")
    url = f"/v1/invoices/{invoice['id']}/file"
    assert client.get(url, headers={"Accept": "*/*"}).headers["content-type"] == "application/pdf"
    assert client.get(url, headers={"Accept": "application/xml"}).status_code == 404
    assert client.get(url, headers={"Accept": "image/png"}).status_code == 406
    quotation = create(client, "quotations", body_for("quotation", contact), finalize="true")
    assert (
        client.get(
            f"/v1/quotations/{quotation['id']}/file", headers={"Accept": "application/xml"}
        ).status_code
        == 406
    )


def test_xrechnung_profile_and_xml(setup: Any) -> None:
    """§5.13: contact buyer reference → XRechnung; */* → XML (UBL 2.1, consistent totals)."""
    _, client, _, public_contact = setup
    draft = create(client, "invoices", invoice_body(public_contact))
    assert draft["electronicDocumentProfile"] == "NONE"
    invoice = create(client, "invoices", invoice_body(public_contact), finalize="true")
    assert invoice["electronicDocumentProfile"] == "XRechnung"
    response = client.get(f"/v1/invoices/{invoice['id']}/file")
    assert response.headers["content-type"] == "application/xml"
    # The draft took RE10001 (Appendix B: drafts are numbered), so the invoice is RE10002.
    assert invoice["voucherNumber"] == "RE10002"
    assert response.headers["content-disposition"].endswith('Rechnung_RE10002.xml"')
    root = ET.fromstring(response.content)
    assert root.tag.endswith("}Invoice")
    assert root.findtext("cbc:CustomizationID", namespaces=NS).endswith("xrechnung_3.0")
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "04011000-12345-67"
    lines = [Decimal(x.text) for x in root.findall("cac:InvoiceLine/cbc:LineExtensionAmount", NS)]
    monetary = root.find("cac:LegalMonetaryTotal", NS)
    value = lambda tag: Decimal(monetary.findtext(f"cbc:{tag}", namespaces=NS))  # noqa: E731
    assert sum(lines) == value("LineExtensionAmount") == Decimal("34.99")
    taxes = [
        Decimal(x.text) for x in root.findall("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", NS)
    ]
    assert (
        sum(taxes)
        == Decimal(root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS))
        == Decimal("6.05")
    )
    assert (
        value("TaxInclusiveAmount") == value("TaxExclusiveAmount") + sum(taxes) == Decimal("41.04")
    )
    pdf = client.get(f"/v1/invoices/{invoice['id']}/file", headers={"Accept": "application/pdf"})
    assert "04011000-12345-67" in pdf_text(pdf.content)


def test_xrechnung_overrides(setup: Any) -> None:
    """§5.13: "" → standard invoice; own reference overrides; reference without contact data → 406."""
    _, client, contact, public_contact = setup
    standard = create(
        client,
        "invoices",
        invoice_body(public_contact, xRechnung={"buyerReference": ""}),
        finalize="true",
    )
    assert standard["electronicDocumentProfile"] == "NONE"
    override = create(
        client,
        "invoices",
        invoice_body(public_contact, xRechnung={"buyerReference": "991-1"}),
        finalize="true",
    )
    assert override["xRechnung"] == {"buyerReference": "991-1"}
    bad = client.post(
        "/v1/invoices", json=invoice_body(contact, xRechnung={"buyerReference": "991-1"})
    )
    assert bad.status_code == 406


def test_xrechnung_prerequisite_net_tax_type(setup: Any) -> None:
    """§5.13 prerequisites (checked at finalization): taxType net."""
    _, client, _, public_contact = setup
    body = invoice_body(public_contact, taxConditions={"taxType": "gross"})
    for item in body["lineItems"][:2]:
        item["unitPrice"]["grossAmount"] = item["unitPrice"].pop("netAmount")
    assert client.post("/v1/invoices", json=body).status_code == 201  # draft: not checked yet
    assert client.post("/v1/invoices", json=body, params={"finalize": "true"}).status_code == 406


def test_unicode_and_many_items_render(setup: Any) -> None:
    """PDF with 300 items spans pages and keeps Unicode text."""
    _, client, contact, _ = setup
    body = invoice_body(contact)
    body["lineItems"] = [
        dict(body["lineItems"][0], name=f"Position {i} – Größe €") for i in range(300)
    ]
    invoice = create(client, "invoices", body, finalize="true")
    reader = PdfReader(io.BytesIO(client.get(f"/v1/invoices/{invoice['id']}/file").content))
    assert len(reader.pages) > 3
    assert "Position 299 – Größe €" in "".join(page.extract_text() for page in reader.pages)
