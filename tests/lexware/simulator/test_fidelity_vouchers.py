"""Issue 17, item 2: bookkeeping vouchers accept what they return.

Source: lexware-api.md Appendix B "Dates and amounts": `voucherDate`, `dueDate`, `shippingDate`
are accepted as bare dates and as full timestamps as GET returns them; a read-modify-write that
PUTs the dates as read succeeds (benethos `update_voucher`); a PUT echoing `voucherStatus` other
than the allowed transition → `voucherStatus: invalid_value`; amounts sent as numeric strings
were accepted (Baebeca live tests 400, "mixed tax").
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.lexware.simulator.core_helpers import INCOME, issue_keys, voucher_body


def _create(api: httpx.Client, **extra: Any) -> str:
    response = api.post("/v1/vouchers", json=voucher_body(**extra))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_post_with_timestamps(api: httpx.Client) -> None:
    """Appendix B: voucherDate/dueDate/shippingDate as full timestamps are accepted on POST."""
    vid = _create(
        api,
        voucherDate="2026-03-02T00:00:00.000+01:00",
        dueDate="2026-03-16T00:00:00.000+01:00",
        shippingDate="2026-02-27T00:00:00.000+01:00",
    )
    voucher = api.get(f"/v1/vouchers/{vid}").json()
    assert voucher["voucherDate"] == "2026-03-02T00:00:00.000+01:00"
    assert voucher["dueDate"] == "2026-03-16T00:00:00.000+01:00"
    assert voucher["shippingDate"] == "2026-02-27T00:00:00.000+01:00"


def test_timestamp_counts_as_its_berlin_day(api: httpx.Client) -> None:
    """§8.1: a UTC timestamp late on 1 March is 2 March in Berlin; the voucher is dated 2 March."""
    vid = _create(api, voucherDate="2026-03-01T23:30:00.000Z")
    assert api.get(f"/v1/vouchers/{vid}").json()["voucherDate"] == "2026-03-02T00:00:00.000+01:00"


def test_malformed_dates_still_refused(api: httpx.Client) -> None:
    """§5.23: neither yyyy-MM-dd nor the §8.1 timestamp pattern → 406 invalid_value."""
    for bad in ("02.03.2026", "2026-03-02T00:00:00+01:00", "2026-03-02 00:00"):
        response = api.post("/v1/vouchers", json=voucher_body(voucherDate=bad))
        assert response.status_code == 406, bad
        assert "invalid_value" in issue_keys(response)


def test_read_modify_write_succeeds(api: httpx.Client) -> None:
    """Appendix B (benethos `update_voucher`): GET, change the remark, PUT everything back → 200."""
    vid = _create(api, dueDate="2026-03-16")
    read = api.get(f"/v1/vouchers/{vid}").json()
    read["remark"] = "geprüft"
    response = api.put(f"/v1/vouchers/{vid}", json=read)
    assert response.status_code == 200, response.text
    again = api.get(f"/v1/vouchers/{vid}").json()
    assert again["remark"] == "geprüft" and again["version"] == 2
    for field in ("voucherDate", "dueDate", "shippingDate"):
        assert again[field] == read[field]


def test_unchecked_echoed_back_is_invalid_value(api: httpx.Client) -> None:
    """Appendix B: a PUT echoing `voucherStatus: unchecked` on an unchecked voucher → 406
    `voucherStatus: invalid_value` (only unchecked → open is allowed)."""
    vid = api.post(
        "/v1/vouchers",
        json={"type": "salesinvoice", "voucherStatus": "unchecked", "taxType": "gross"},
    ).json()["id"]
    read = api.get(f"/v1/vouchers/{vid}").json()
    response = api.put(f"/v1/vouchers/{vid}", json=read)
    assert response.status_code == 406
    issues = response.json()["IssueList"]
    assert {"source": "voucherStatus", "i18nKey": "invalid_value"} in [
        {"source": i["source"], "i18nKey": i["i18nKey"]} for i in issues
    ]


def test_amounts_as_numeric_strings(api: httpx.Client) -> None:
    """Appendix B (Baebeca live test 400): `"amount": "1748.81"` is accepted as a number."""
    items = [
        {"amount": "1748.81", "taxAmount": "279.22", "taxRatePercent": 19, "categoryId": INCOME}
    ]
    vid = _create(api, totalGrossAmount="1748.81", totalTaxAmount="279.22", voucherItems=items)
    voucher = api.get(f"/v1/vouchers/{vid}").json()
    assert voucher["totalGrossAmount"] == 1748.81 and voucher["totalTaxAmount"] == 279.22
    assert voucher["voucherItems"][0]["amount"] == 1748.81
    assert voucher["voucherItems"][0]["taxAmount"] == 279.22


def test_non_numeric_or_three_decimal_strings_refused(api: httpx.Client) -> None:
    """§5.23: the string is read as a number, then the usual checks apply (≤ 2 decimals, totals)."""
    for bad in ("12,50", "abc", "119.001"):
        items = [{"amount": bad, "taxAmount": 19.00, "taxRatePercent": 19, "categoryId": INCOME}]
        response = api.post("/v1/vouchers", json=voucher_body(voucherItems=items))
        assert response.status_code == 406, bad
