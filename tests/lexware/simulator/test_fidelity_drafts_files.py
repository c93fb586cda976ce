"""Issue 17, item 7: drafts, file downloads and error keys as measured.

Source: lexware-api.md Appendix B "Drafts" (benethos S6), "Files", "Validation", "Paging and
routes" (voucherlist sort conflict) and Appendix A (`/file` names).
"""

from __future__ import annotations

import logging

import httpx
import pytest

from lexware.errors import ConflictError, make_status_error
from lexware.simulator.reference_data import print_layouts
from tests.lexware.simulator.core_helpers import company_contact, issue_keys
from tests.lexware.simulator.sales_helpers import create, create_contact, invoice_body, make_client

LAYOUT = print_layouts()[1]["id"]


def test_draft_is_numbered_and_listed_as_draft() -> None:
    """Appendix B (benethos S6): a draft appears in the voucherlist with status `draft` and
    already carries its document number (conflict with §5.1's samples: the measurement wins)."""
    _, client = make_client()
    contact = create_contact(client)
    draft = create(client, "invoices", invoice_body(contact))
    final = create(client, "invoices", invoice_body(contact), finalize="true")
    assert (draft["voucherNumber"], final["voucherNumber"]) == ("RE10001", "RE10002")
    rows = client.get(
        "/v1/voucherlist", params={"voucherType": "invoice", "voucherStatus": "draft"}
    ).json()
    assert [(r["id"], r["voucherStatus"], r["voucherNumber"]) for r in rows["content"]] == [
        (draft["id"], "draft", "RE10001")
    ]
    quotation = create(client, "quotations", {**_quotation(contact)})
    assert quotation["voucherStatus"] == "draft" and quotation["voucherNumber"] == "AG10001"


def _quotation(contact: str) -> dict[str, object]:
    body = invoice_body(contact, expirationDate="2026-04-01T00:00:00.000+02:00")
    body.pop("shippingConditions")
    return body


def test_draft_has_no_due_date_print_layout_or_files() -> None:
    """Appendix B: a draft reads in full but carries no `dueDate`, `printLayoutId` or `files`."""
    _, client = make_client()
    contact = create_contact(client)
    draft = create(client, "invoices", invoice_body(contact, printLayoutId=LAYOUT))
    assert draft["lineItems"] and draft["totalPrice"]["totalGrossAmount"] == 41.04
    for key in ("dueDate", "printLayoutId", "files"):
        assert key not in draft
    final = create(client, "invoices", invoice_body(contact, printLayoutId=LAYOUT), finalize="true")
    assert final["dueDate"] and final["printLayoutId"] == LAYOUT
    dunning_body = invoice_body(contact)
    dunning_body.pop("paymentConditions")
    dunning = create(client, "dunnings", dunning_body, precedingSalesVoucherId=final["id"])
    assert client.get(f"/v1/dunnings/{dunning['id']}/document").status_code == 200
    assert "files" not in client.get(f"/v1/dunnings/{dunning['id']}").json()  # dunnings are drafts
    assert client.get(f"/v1/invoices/{final['id']}/document").status_code == 200
    assert "documentFileId" in client.get(f"/v1/invoices/{final['id']}").json()["files"]


def test_file_download_content_disposition(api: httpx.Client) -> None:
    """Appendix B: `GET /v1/files/{id}` → `Content-Disposition: inline; filename={id}.{ext};`."""
    upload = api.post(
        "/v1/files",
        files={"file": ("Quittung Mai.pdf", b"%PDF-1.4\n", "application/pdf")},
        data={"type": "voucher"},
    )
    file_id = upload.json()["id"]
    response = api.get(f"/v1/files/{file_id}", headers={"Accept": "*/*"})
    assert response.headers["Content-Disposition"] == f"inline; filename={file_id}.pdf;"


def test_sales_file_keeps_its_real_name() -> None:
    """Appendix A: `/file` of a sales document carries a real name (`Rechnung_RE….pdf`)."""
    _, client = make_client()
    final = create(client, "invoices", invoice_body(create_contact(client)), finalize="true")
    response = client.get(f"/v1/invoices/{final['id']}/file", headers={"Accept": "application/pdf"})
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="Rechnung_{final["voucherNumber"]}.pdf"'
    )


def test_contact_bad_country_key(api: httpx.Client) -> None:
    """Appendix B: bad country → 406 `countryCode: countrycode_is_not_valid`."""
    body = company_contact(addresses={"billing": [{"city": "X", "countryCode": "XX"}]})
    response = api.post("/v1/contacts", json=body)
    assert response.status_code == 406
    assert [(i["source"], i["i18nKey"]) for i in response.json()["IssueList"]] == [
        ("countryCode", "countrycode_is_not_valid")
    ]


def test_contact_stale_version_issue(api: httpx.Client) -> None:
    """Appendix B: stale version → 406 IssueList `[{source: version, i18nKey: invalid_value}]`;
    our client still reports it as a ConflictError (Appendix A)."""
    contact = api.post("/v1/contacts", json=company_contact()).json()["id"]
    response = api.put(f"/v1/contacts/{contact}", json={**company_contact(), "version": 99})
    assert response.status_code == 406
    body = response.json()
    assert [(i["source"], i["i18nKey"]) for i in body["IssueList"]] == [
        ("version", "invalid_value")
    ]
    assert isinstance(
        make_status_error(406, body, method="PUT", path=f"/v1/contacts/{contact}"), ConflictError
    )


def test_contacts_number_abc(api: httpx.Client) -> None:
    """Appendix B: `number=abc` → 400 with an IssueList and no message."""
    response = api.get("/v1/contacts", params={"number": "abc"})
    assert response.status_code == 400
    assert issue_keys(response) == ["bad_request_error"] and "message" not in response.json()


def test_voucherlist_sort_conflict_accepts_four_and_warns(caplog: pytest.LogCaptureFixture) -> None:
    """Appendix B conflict: benethos saw only `voucherDate` accepted, Appendix A lists four;
    the simulator accepts the four and logs a warning for the other three."""
    _, client = make_client()
    params = {"voucherType": "any", "voucherStatus": "any"}
    with caplog.at_level(logging.WARNING, logger="lexware.simulator.voucherlist"):
        assert (
            client.get("/v1/voucherlist", params={**params, "sort": "voucherDate,ASC"}).status_code
            == 200
        )
        assert not caplog.records
        for prop in ("voucherNumber", "createdDate", "updatedDate"):
            assert (
                client.get("/v1/voucherlist", params={**params, "sort": f"{prop},DESC"}).status_code
                == 200
            )
    assert len(caplog.records) == 3 and "voucherDate" in caplog.records[0].getMessage()
