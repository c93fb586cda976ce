"""Bookkeeping vouchers (lexware-api.md §5.23, §3, Appendix A), legacy error shape (§2.2)."""

from __future__ import annotations

from typing import Any

import httpx

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import (
    INCOME,
    KEY,
    OUTGO,
    company_contact,
    issue_keys,
    voucher_body,
)


def _create(api: httpx.Client, **extra: Any) -> str:
    response = api.post("/v1/vouchers", json=voucher_body(**extra))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_create_open_voucher_dates_returned_as_timestamps(api: httpx.Client) -> None:
    """§5.23: voucherDate input yyyy-MM-dd returned as dateTime; dueDate defaults to voucherDate."""
    voucher = api.get(f"/v1/vouchers/{_create(api)}").json()
    assert voucher["voucherStatus"] == "open"
    assert voucher["voucherDate"] == "2026-03-02T00:00:00.000+01:00"
    assert voucher["dueDate"] == voucher["voucherDate"]
    assert voucher["version"] == 1 and voucher["files"] == []


def test_totals_checked_to_the_cent(api: httpx.Client) -> None:
    """Appendix A / §8.3: totals must equal the items → 406 invalid_total_amount."""
    response = api.post("/v1/vouchers", json=voucher_body(totalGrossAmount=119.01))
    assert response.status_code == 406
    assert issue_keys(response) == ["invalid_total_amount"]
    assert issue_keys(api.post("/v1/vouchers", json=voucher_body(totalTaxAmount=18.99))) == [
        "invalid_total_amount"
    ]


def test_net_voucher_rounding_example_accepted(api: httpx.Client) -> None:
    """§5.23: items 37.79@19 (7.18), 83.14@7 (5.82), 0.07@0 → tax 13.00, gross 134.00 with taxType net.

    Per-item tax is rounded by the sender (37.79 × 19 % = 7.1801, 83.14 × 7 % = 5.8198); the totals
    must equal the sums of the rounded items to the cent: net 121.00 + tax 13.00 = gross 134.00.
    """
    items = [
        {"amount": 37.79, "taxAmount": 7.18, "taxRatePercent": 19, "categoryId": INCOME},
        {"amount": 83.14, "taxAmount": 5.82, "taxRatePercent": 7, "categoryId": INCOME},
        {"amount": 0.07, "taxAmount": 0.0, "taxRatePercent": 0, "categoryId": INCOME},
    ]
    body = voucher_body(
        taxType="net", voucherItems=items, totalGrossAmount=134.00, totalTaxAmount=13.00
    )
    created = api.post("/v1/vouchers", json=body)
    assert created.status_code == 201, created.text

    voucher = api.get(f"/v1/vouchers/{created.json()['id']}").json()
    assert voucher["taxType"] == "net"
    assert (voucher["totalGrossAmount"], voucher["totalTaxAmount"]) == (134.00, 13.00)
    assert [
        (i["amount"], i["taxAmount"], i["taxRatePercent"]) for i in voucher["voucherItems"]
    ] == [(37.79, 7.18, 19), (83.14, 5.82, 7), (0.07, 0.0, 0)]

    # One cent off either total is refused, naming exactly that total.
    for field, value in (("totalGrossAmount", 134.01), ("totalTaxAmount", 12.99)):
        refused = api.post("/v1/vouchers", json={**body, field: value})
        assert refused.status_code == 406, refused.text
        assert [(i["i18nKey"], i["source"]) for i in refused.json()["IssueList"]] == [
            ("invalid_total_amount", field)
        ]
    # Under taxType gross the items' amounts already are gross (sum 121.00), so 134.00 is wrong
    # there: the net rule (gross = amounts + taxes) is what makes the example add up.
    gross = api.post("/v1/vouchers", json={**body, "taxType": "gross"})
    assert gross.status_code == 406, gross.text
    assert [(i["i18nKey"], i["source"]) for i in gross.json()["IssueList"]] == [
        ("invalid_total_amount", "totalGrossAmount")
    ]


def test_status_on_create_only_open_or_unchecked(api: httpx.Client) -> None:
    """§5.23: POST voucherStatus null/open/unchecked only."""
    assert api.post("/v1/vouchers", json=voucher_body(voucherStatus="paid")).status_code == 406


def test_unchecked_may_omit_data_but_not_with_net(api: httpx.Client) -> None:
    """§5.23: unchecked vouchers may omit number/date/totals/items; taxType net + unchecked prohibited."""
    minimal = {"type": "purchaseinvoice", "voucherStatus": "unchecked", "taxType": "gross"}
    assert api.post("/v1/vouchers", json=minimal).status_code == 201
    assert api.post("/v1/vouchers", json={**minimal, "taxType": "net"}).status_code == 406


def test_open_requires_number_date_totals_items(api: httpx.Client) -> None:
    """§5.23: required unless unchecked."""
    response = api.post(
        "/v1/vouchers",
        json={"type": "salesinvoice", "taxType": "gross", "useCollectiveContact": True},
    )
    sources = {issue["source"] for issue in response.json()["IssueList"]}
    assert response.status_code == 406
    assert {
        "voucherNumber",
        "voucherDate",
        "totalGrossAmount",
        "totalTaxAmount",
        "voucherItems",
    } <= sources


def test_contact_name_with_contact_id_rejected(api: httpx.Client) -> None:
    """§5.23 / §2.4 observed: contactId + contactName → 406 custom_contact_name_for_referenced_contact_not_allowed."""
    cid = api.post("/v1/contacts", json=company_contact()).json()["id"]
    response = api.post(
        "/v1/vouchers", json=voucher_body(useCollectiveContact=False, contactId=cid)
    )
    assert response.status_code == 406
    assert issue_keys(response) == ["custom_contact_name_for_referenced_contact_not_allowed"]
    assert (
        api.post(
            "/v1/vouchers",
            json=voucher_body(useCollectiveContact=False, contactId=cid, contactName=None),
        ).status_code
        == 201
    )


def test_sales_voucher_contact_needs_customer_role(api: httpx.Client) -> None:
    """§5.23: contact role must be customer for sales vouchers."""
    vendor = api.post("/v1/contacts", json=company_contact(roles={"vendor": {}})).json()["id"]
    body = voucher_body(useCollectiveContact=False, contactId=vendor, contactName=None)
    assert api.post("/v1/vouchers", json=body).status_code == 406


def test_category_must_match_voucher_type(api: httpx.Client) -> None:
    """§5.17: income categories for sales vouchers, outgo for purchase vouchers."""
    items = [{"amount": 119.0, "taxAmount": 19.0, "taxRatePercent": 19, "categoryId": OUTGO}]
    assert api.post("/v1/vouchers", json=voucher_body(voucherItems=items)).status_code == 406
    assert (
        api.post(
            "/v1/vouchers", json=voucher_body(type="purchaseinvoice", voucherItems=items)
        ).status_code
        == 201
    )


def test_put_moves_unchecked_to_open(sim: Simulator, api: httpx.Client) -> None:
    """§5.23 / §6.2: unchecked → open via PUT (status.changed fires)."""
    seen: list[str] = []
    sim.emit = lambda tenant, event, rid: seen.append(event) or 0  # type: ignore[method-assign]
    vid = api.post(
        "/v1/vouchers",
        json={"type": "salesinvoice", "voucherStatus": "unchecked", "taxType": "gross"},
    ).json()["id"]
    response = api.put(f"/v1/vouchers/{vid}", json=voucher_body(version=1, voucherStatus="open"))
    assert response.status_code == 200
    assert api.get(f"/v1/vouchers/{vid}").json()["voucherStatus"] == "open"
    assert seen == ["voucher.created", "voucher.changed", "voucher.status.changed"]


def test_put_cannot_move_open_back_to_unchecked(api: httpx.Client) -> None:
    """§5.23: the status can only move unchecked → open."""
    vid = _create(api)
    body = {"type": "salesinvoice", "voucherStatus": "unchecked", "taxType": "gross", "version": 1}
    assert api.put(f"/v1/vouchers/{vid}", json=body).status_code == 406


def test_stale_version_409(api: httpx.Client) -> None:
    """§3 / Appendix A: stale version on vouchers → 409."""
    vid = _create(api)
    assert (
        api.put(f"/v1/vouchers/{vid}", json=voucher_body(version=1, remark="ok")).status_code == 200
    )
    stale = api.put(f"/v1/vouchers/{vid}", json=voucher_body(version=1))
    assert stale.status_code == 409
    assert "IssueList" in stale.json()


def test_put_omitting_file_deletes_it(sim: Simulator, api: httpx.Client) -> None:
    """§3 / §5.23: omitting a file id on PUT permanently deletes the file."""
    vid = _create(api)
    pdf = b"%PDF-1.4\n% test receipt\n"
    file_id = api.post(
        f"/v1/vouchers/{vid}/files", files={"file": ("r.pdf", pdf, "application/pdf")}
    ).json()["id"]
    voucher = api.get(f"/v1/vouchers/{vid}").json()
    assert voucher["files"] == [file_id] and voucher["version"] == 2
    assert api.put(f"/v1/vouchers/{vid}", json=voucher_body(version=2, files=[])).status_code == 200
    assert file_id not in sim.tenant_for_key(KEY).files
    assert api.get(f"/v1/files/{file_id}").status_code == 404


def test_attach_file_202_and_duplicate_returns_existing(api: httpx.Client) -> None:
    """§5.23 / Appendix A: POST /v1/vouchers/{id}/files → 202 {id}; same checksum → existing id."""
    vid = _create(api)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    first = api.post(f"/v1/vouchers/{vid}/files", files={"file": ("a.png", png, "image/png")})
    second = api.post(f"/v1/vouchers/{vid}/files", files={"file": ("b.png", png, "image/png")})
    assert first.status_code == second.status_code == 202
    assert set(first.json()) == {"id"} and first.json() == second.json()


def test_files_list_each_file_once(api: httpx.Client) -> None:
    vid = _create(api)
    fid = api.post(
        f"/v1/vouchers/{vid}/files", files={"file": ("r.pdf", b"%PDF-1.4 x", "application/pdf")}
    ).json()["id"]
    assert (
        api.put(f"/v1/vouchers/{vid}", json=voucher_body(version=2, files=[fid, fid])).status_code
        == 406
    )


def test_lookup_by_voucher_number_paged(api: httpx.Client) -> None:
    """§5.23 / §4: deprecated GET /v1/vouchers?voucherNumber= returns a page."""
    _create(api, voucherNumber="A&B-1")
    _create(api, voucherNumber="other")
    page = api.get("/v1/vouchers", params={"voucherNumber": "A&amp;B-1"}).json()
    assert page["totalElements"] == 1 and page["content"][0]["voucherNumber"] == "A&B-1"
    assert "sort" not in page
    assert api.get("/v1/vouchers").status_code == 400


def test_amounts_two_decimals(api: httpx.Client) -> None:
    """§8.2: bookkeeping amounts ##.00."""
    items = [{"amount": 119.001, "taxAmount": 19.0, "taxRatePercent": 19, "categoryId": INCOME}]
    assert api.post("/v1/vouchers", json=voucher_body(voucherItems=items)).status_code == 406
