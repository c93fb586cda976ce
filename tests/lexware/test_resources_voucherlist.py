"""client.voucherlist (§5.22): filter rules before sending, and iter_all beyond 10,000 rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from lexware import errors
from tests.lexware.mock_lexware import ID, Recorder, json_response, make_client

EMPTY = {"content": [], "last": True, "totalPages": 0, "totalElements": 0, "number": 0}


def test_list_sends_every_filter() -> None:
    recorder = Recorder([json_response(200, EMPTY)])
    make_client(recorder).voucherlist.list(
        voucher_type=["invoice", "creditnote"],
        voucher_status="open, paid",
        archived=False,
        contact_id=ID,
        voucher_date_from=date(2026, 1, 1),
        voucher_date_to="2026-01-31",
        created_date_from="2025-12-01",
        created_date_to="2026-02-01",
        updated_date_from="2026-01-02",
        updated_date_to="2026-02-02",
        voucher_number="RE<1>&2",
        sort="voucherDate,desc",
        page=3,
        size=100,
    )
    sent = recorder.last
    assert (sent.method, sent.path) == ("GET", "/v1/voucherlist")
    assert sent.query == {
        "voucherType": "invoice,creditnote",
        "voucherStatus": "open,paid",
        "archived": "false",
        "contactId": ID,
        "voucherDateFrom": "2026-01-01",
        "voucherDateTo": "2026-01-31",
        "createdDateFrom": "2025-12-01",
        "createdDateTo": "2026-02-01",
        "updatedDateFrom": "2026-01-02",
        "updatedDateTo": "2026-02-02",
        "voucherNumber": "RE&lt;1&gt;&amp;2",
        "sort": "voucherDate,DESC",
        "page": "3",
        "size": "100",
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"voucher_type": "any,invoice", "voucher_status": "open"},
        {"voucher_type": "invoice", "voucher_status": "overdue,open"},
        {"voucher_type": "dunning", "voucher_status": "open"},
        {"voucher_type": "invoice", "voucher_status": "paymentordered"},
        {"voucher_type": "invoice", "voucher_status": "open,,paid"},
        {"voucher_type": "", "voucher_status": "open"},
        {"voucher_type": "invoice", "voucher_status": "open", "voucher_date_from": "2026-1-1"},
        {"voucher_type": "invoice", "voucher_status": "open", "voucher_date_from": "2026-02-30"},
        {
            "voucher_type": "invoice",
            "voucher_status": "open",
            "created_date_to": datetime(2026, 1, 1, 12),
        },
        {
            "voucher_type": "invoice",
            "voucher_status": "open",
            "updated_date_from": "2026-01-01T00:00:00.000+01:00",
        },
        {"voucher_type": "invoice", "voucher_status": "open", "sort": "voucherDate"},
        {"voucher_type": "invoice", "voucher_status": "open", "sort": "totalAmount,ASC"},
        {"voucher_type": "invoice", "voucher_status": "open", "page": 40, "size": 250},
    ],
)
def test_rule_violations_are_refused_before_sending(kwargs: dict[str, object]) -> None:
    recorder = Recorder([json_response(200, EMPTY)])
    with pytest.raises(errors.InvalidRequestError):
        make_client(recorder).voucherlist.list(**kwargs)  # type: ignore[arg-type]
    assert recorder.sent == []


def test_any_and_overdue_alone_are_fine() -> None:
    recorder = Recorder([json_response(200, EMPTY)])
    make_client(recorder).voucherlist.list(voucher_type="any", voucher_status="overdue")
    assert recorder.last.query["voucherType"] == "any"
    assert recorder.last.query["voucherStatus"] == "overdue"


def _fake_voucherlist(rows: list[dict[str, str]]) -> Recorder:
    """A voucherlist with Lexware's 10,000-row window: totalElements capped, paging past the
    window refused, createdDate filters inclusive whole days, sort on createdDate."""

    def handler(request: httpx.Request) -> httpx.Response:
        q = dict(request.url.params)
        low, high = q.get("createdDateFrom"), q.get("createdDateTo")
        hits = [
            r
            for r in rows
            if (not low or r["createdDate"][:10] >= low)
            and (not high or r["createdDate"][:10] <= high)
        ]
        hits.sort(key=lambda r: r["createdDate"], reverse=q.get("sort", "").endswith("DESC"))
        page, size = int(q["page"]), int(q["size"])
        if (page + 1) * size > 10_000:
            return httpx.Response(400, json={"message": "Maximum search window size exceeded"})
        window = hits[:10_000]
        content = window[page * size : (page + 1) * size]
        total_pages = (len(window) + size - 1) // size
        return httpx.Response(
            200,
            json={
                "content": content,
                "number": page,
                "size": size,
                "totalElements": len(window),
                "totalPages": total_pages,
                "last": page + 1 >= total_pages,
                "first": page == 0,
            },
        )

    return Recorder(handler=handler)


def test_iter_all_returns_more_than_10000_rows_by_splitting_date_windows() -> None:
    start = date(2025, 1, 1)
    rows = [
        {
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "voucherType": "invoice",
            "voucherStatus": "open",
            "createdDate": f"{(start + timedelta(days=n % 300)).isoformat()}T10:00:00.000+01:00",
        }
        for n in range(23_456)
    ]
    recorder = _fake_voucherlist(rows)
    items = list(
        make_client(recorder).voucherlist.iter_all(voucher_type="any", voucher_status="any")
    )
    assert len(items) == 23_456
    assert len({item.id for item in items}) == 23_456
    assert all("createdDateFrom" in s.query or s.query["page"] == "0" for s in recorder.sent)


def test_iter_all_small_result_is_one_walk() -> None:
    rows = [
        {"id": f"00000000-0000-4000-8000-{n:012d}", "createdDate": "2026-01-05T10:00:00.000+01:00"}
        for n in range(600)
    ]
    recorder = _fake_voucherlist(rows)
    items = list(
        make_client(recorder).voucherlist.iter_all(
            voucher_type="invoice", voucher_status="open", created_date_from="2026-01-01"
        )
    )
    assert len(items) == 600
    assert [s.query["page"] for s in recorder.sent] == ["0", "1", "2"]
    assert recorder.sent[0].query["sort"] == "createdDate,ASC"
    assert recorder.sent[0].query["createdDateFrom"] == "2026-01-01"


def test_iter_all_refuses_a_single_day_with_more_than_the_window() -> None:
    rows = [
        {"id": f"00000000-0000-4000-8000-{n:012d}", "createdDate": "2026-01-05T10:00:00.000+01:00"}
        for n in range(10_001)
    ]
    with pytest.raises(errors.LexwareError, match="cannot be split"):
        list(
            make_client(_fake_voucherlist(rows)).voucherlist.iter_all(
                voucher_type="any", voucher_status="any"
            )
        )
