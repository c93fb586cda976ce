"""Issue 17, item 3: validation the live API does.

Source: lexware-api.md Appendix B "Validation", "Files" and "Paging and routes" (Baebeca live
tests 403 and others, benethos SPECS.md).
"""

from __future__ import annotations

import httpx

from tests.lexware.simulator.core_helpers import (
    article_body,
    company_contact,
    detail_fields,
    issue_keys,
)
from tests.lexware.simulator.sales_helpers import create_contact, invoice_body, make_client

NO_ADDRESS = (
    "Referenced contact needs to have exactly one billing address, but 0 addresses were found."
)
XML_UBL = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
XML_CII = (
    b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
    b"</rsm:CrossIndustryInvoice>"
)


def _upload(api: httpx.Client, name: str, content: bytes, kind: str = "voucher") -> httpx.Response:
    return api.post(
        "/v1/files",
        files={"file": (name, content, "application/octet-stream")},
        data={"type": kind},
    )


def test_invoice_for_contact_without_billing_address() -> None:
    """Appendix B (Baebeca 403): 406 with Lexware's message, for drafts and finalized invoices."""
    _, client = make_client()
    bare = client.post(
        "/v1/contacts",
        json={"version": 0, "roles": {"customer": {}}, "company": {"name": "Ohne Adresse GmbH"}},
    ).json()["id"]
    for params in ({}, {"finalize": "true"}):
        response = client.post("/v1/invoices", json=invoice_body(bare), params=params)
        assert response.status_code == 406
        assert response.json()["message"] == NO_ADDRESS
    with_address = create_contact(client)
    assert client.post("/v1/invoices", json=invoice_body(with_address)).status_code == 201


def test_duplicate_article_number(api: httpx.Client) -> None:
    """Appendix B: duplicate `articleNumber` → 406 `materialNumber: MATERIAL_NUMBER_ALREADY_EXISTS`,
    on POST and on a PUT that takes another article's number; the article's own number is fine."""
    first = api.post("/v1/articles", json=article_body(articleNumber="DUP-1"))
    assert first.status_code == 201
    again = api.post("/v1/articles", json=article_body(articleNumber="DUP-1"))
    assert again.status_code == 406
    assert again.json()["details"][0]["violation"] == "MATERIAL_NUMBER_ALREADY_EXISTS"
    assert detail_fields(again) == ["materialNumber"]
    other = api.post("/v1/articles", json=article_body(articleNumber="DUP-2")).json()["id"]
    taken = api.put(f"/v1/articles/{other}", json=article_body(articleNumber="DUP-1", version=0))
    assert taken.status_code == 406
    own = api.put(f"/v1/articles/{other}", json=article_body(articleNumber="DUP-2", version=0))
    assert own.status_code == 200


def test_bad_gtin_key(api: httpx.Client) -> None:
    """Appendix B: a GTIN that fails → `gtin: VALIDGTIN`."""
    response = api.post("/v1/articles", json=article_body(gtin="4006381333932"))
    assert response.status_code == 406
    assert [(d["field"], d["violation"]) for d in response.json()["details"]] == [
        ("gtin", "VALIDGTIN")
    ]


def test_xml_upload_must_be_an_e_invoice(api: httpx.Client) -> None:
    """Appendix B: an `.xml` that is not an XRechnung → 406 `invalid_xrechnung`; UBL and CII pass."""
    refused = _upload(api, "notiz.xml", b'<?xml version="1.0"?><notes><note>Hallo</note></notes>')
    assert refused.status_code == 406
    assert issue_keys(refused) == ["invalid_xrechnung"]
    broken = _upload(api, "kaputt.xml", b"<Invoice><unclosed></Invoice>")
    assert issue_keys(broken) == ["invalid_xrechnung"]
    assert _upload(api, "ubl.xml", XML_UBL).status_code == 202
    assert _upload(api, "cii.xml", XML_CII).status_code == 202


def test_oversize_upload_key(api: httpx.Client) -> None:
    """Appendix B: 5,242,881 bytes → `max_file_size_exceeded`; 5,242,880 accepted."""
    limit = 5_242_880
    assert _upload(api, "max.pdf", b"%PDF-1.4\n" + b"x" * (limit - 9)).status_code == 202
    response = _upload(api, "big.pdf", b"%PDF-1.4\n" + b"y" * (limit - 8))
    assert response.status_code == 406
    assert issue_keys(response) == ["max_file_size_exceeded"]


def test_upload_type_receipt_message(api: httpx.Client) -> None:
    """Appendix B: upload type `receipt` → "Invalid or missing upload type." (400, §5.12)."""
    response = _upload(api, "beleg.pdf", b"%PDF-1.4\n", kind="receipt")
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid or missing upload type."


def test_page_size_above_ceiling_refused(api: httpx.Client) -> None:
    """Appendix B: voucherlist `size=251` → 400 "parameter 'size' must be equal or lower than
    250"; contacts `size=1000` → "parameter 'size' exceeds the limit". Small sizes and the
    ceilings themselves still work (Appendix A)."""
    params = {"voucherType": "any", "voucherStatus": "any"}
    refused = api.get("/v1/voucherlist", params={**params, "size": 251})
    assert refused.status_code == 400
    assert refused.json()["message"] == "parameter 'size' must be equal or lower than 250"
    assert api.get("/v1/voucherlist", params={**params, "size": 250}).json()["size"] == 250
    assert api.get("/v1/voucherlist", params={**params, "size": 0}).json()["size"] == 1
    api.post("/v1/contacts", json=company_contact())
    contacts = api.get("/v1/contacts", params={"size": 1000})
    assert contacts.status_code == 400
    assert contacts.json()["message"] == "parameter 'size' exceeds the limit"
    assert api.get("/v1/contacts", params={"size": 500}).json()["size"] == 500
