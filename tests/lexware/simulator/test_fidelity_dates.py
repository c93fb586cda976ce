"""Issue 17, item 1: every date the simulator derives is a Europe/Berlin calendar day.

Source: lexware-api.md Appendix B "Dates and amounts" (voucherDate 2026-10-20T00:00:00.000+02:00
with paymentTermDuration 14 → dueDate 2026-11-03T00:00:00.000+01:00; 24-hour arithmetic is wrong
across DST) and §8.1 (timestamps in the organisation's local time, CET/CEST).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from lexware.simulator import Simulator
from lexware.simulator.sales_seed import seed_demo_sales
from lexware.simulator.seed_content import demo
from lexware.simulator.timefmt import BERLIN, add_days, format_datetime
from tests.lexware.simulator.sales_helpers import (
    Clock,
    create,
    create_contact,
    invoice_body,
    make_client,
)

# The two DST changes of 2026 in Europe/Berlin: 29 March (02:00 → 03:00), 25 October (03:00 → 02:00).
SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)


def _berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(BERLIN)


def _invoice(client: httpx.Client, contact: str, voucher_date: str, days: int) -> dict[str, Any]:
    body = invoice_body(
        contact,
        voucherDate=voucher_date,
        paymentConditions={"paymentTermLabel": f"{days} Tage", "paymentTermDuration": days},
    )
    body["shippingConditions"] = {"shippingType": "delivery", "shippingDate": voucher_date}
    return create(client, "invoices", body, finalize="true")


def test_appendix_b_due_date_across_autumn_change() -> None:
    """Appendix B: 2026-10-20 (CEST) + 14 days → 2026-11-03T00:00:00.000+01:00, not …11-02T23:00."""
    _, client = make_client(Clock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC)))
    contact = create_contact(client)
    invoice = _invoice(client, contact, "2026-10-20T00:00:00.000+02:00", 14)
    assert invoice["dueDate"] == "2026-11-03T00:00:00.000+01:00"


def test_due_date_across_spring_change() -> None:
    """§8.1 + Appendix B: 2026-03-20 (CET) + 14 days → 2026-04-03T00:00:00.000+02:00, not …01:00."""
    _, client = make_client(Clock(datetime(2026, 4, 1, 12, 0, tzinfo=UTC)))
    contact = create_contact(client)
    invoice = _invoice(client, contact, "2026-03-20T00:00:00.000+01:00", 14)
    assert invoice["dueDate"] == "2026-04-03T00:00:00.000+02:00"


_CLOCK = Clock(datetime(2027, 6, 1, 12, 0, tzinfo=UTC))
_SIM, _CLIENT = make_client(_CLOCK)
_CONTACT = create_contact(_CLIENT)


@settings(max_examples=60, deadline=None)
@given(
    change=st.sampled_from([SPRING, AUTUMN]),
    offset=st.integers(min_value=-40, max_value=5),
    days=st.integers(min_value=0, max_value=60),
    minute_of_day=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_property_due_date_is_calendar_days_in_berlin(
    change: date, offset: int, days: int, minute_of_day: int
) -> None:
    """Appendix B: for vouchers dated around both DST changes, dueDate is the voucher's Berlin
    calendar day plus paymentTermDuration days, at the same Berlin wall-clock time."""
    day = change + timedelta(days=offset)
    local = datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), tzinfo=BERLIN)
    local = local.astimezone(UTC).astimezone(
        BERLIN
    )  # a time in the spring gap moves to its real instant
    invoice = _invoice(_CLIENT, _CONTACT, format_datetime(local), days)
    voucher_day = _berlin(invoice["voucherDate"])
    due = _berlin(invoice["dueDate"])
    assert due.date() == voucher_day.date() + timedelta(days=days)
    target = voucher_day.date() + timedelta(days=days)
    wall = datetime.combine(target, voucher_day.time(), tzinfo=BERLIN)
    if (
        wall.astimezone(UTC).astimezone(BERLIN).time() == voucher_day.time()
    ):  # not in the spring gap
        assert due.time() == voucher_day.time()


def test_overdue_flips_on_the_berlin_day_after_the_due_day() -> None:
    """§6.1 + Appendix B: an invoice due 2026-11-03 (after the autumn change) is not overdue on
    2026-11-03 in Berlin, even at 00:30 CET (still 2 November in UTC), and overdue from 4 November."""
    clock = Clock(datetime(2026, 10, 21, 9, 0, tzinfo=UTC))
    _, client = make_client(clock)
    contact = create_contact(client)
    invoice = _invoice(client, contact, "2026-10-20T00:00:00.000+02:00", 14)

    def status() -> str:
        rows = client.get(
            "/v1/voucherlist", params={"voucherType": "invoice", "voucherStatus": "any"}
        ).json()
        return str(next(r for r in rows["content"] if r["id"] == invoice["id"])["voucherStatus"])

    clock.now = datetime(2026, 11, 3, 23, 59, tzinfo=BERLIN).astimezone(UTC)
    assert status() == "open"
    clock.now = datetime(2026, 11, 3, 0, 30, tzinfo=BERLIN).astimezone(UTC)
    assert status() == "open"
    clock.now = datetime(2026, 11, 4, 0, 0, 30, tzinfo=BERLIN).astimezone(UTC)
    assert status() == "overdue"


def test_demo_seed_due_dates_keep_the_voucher_time() -> None:
    """Appendix B: in the demo (whose 18 months always cross both DST changes) every sales
    dueDate is a whole number of Berlin days after its voucherDate, at the same wall-clock time."""
    sim = Simulator(
        rate=0,
        seed="empty",
        clock=Clock(datetime(2026, 11, 28, 10, 0, tzinfo=UTC)),
        probe_callbacks=False,
    )
    tenant = sim.tenant_for_key("dates")
    seed_demo_sales(tenant, random.Random(7), sim.now())
    dated = [v for v in tenant.sales.values() if v.get("dueDate")]
    assert len(dated) > 50
    for voucher in dated:
        start, due = _berlin(voucher["voucherDate"]), _berlin(voucher["dueDate"])
        assert due.time() == start.time(), (voucher["voucherDate"], voucher["dueDate"])
        assert (due.date() - start.date()).days in {14, 30}


def test_demo_bookkeeping_seed_uses_berlin_today() -> None:
    """§8.1: the seed's "today" is the Berlin day. 23:30 UTC on 28 November and 00:30 UTC on
    29 November are both 29 November in Berlin, so the same seed yields the same voucher dates."""
    late = demo(random.Random(42), random.Random(1), datetime(2026, 11, 28, 23, 30, tzinfo=UTC))
    early = demo(random.Random(42), random.Random(1), datetime(2026, 11, 29, 0, 30, tzinfo=UTC))

    def dates(tenant: Any) -> list[str]:
        return sorted(str(v["voucherDate"]) for v in tenant.vouchers.values())

    assert dates(late) == dates(early)
    assert all(_berlin(v["voucherDate"]).time() == time(0, 0) for v in late.vouchers.values())


def test_add_days_keeps_wall_clock_time() -> None:
    start = datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    assert format_datetime(add_days(start, 1)) == "2026-03-29T12:00:00.000+02:00"
    fixed = datetime.fromisoformat("2026-10-24T00:00:00.000+02:00")
    assert format_datetime(add_days(fixed, 1)) == "2026-10-25T00:00:00.000+02:00"
    assert format_datetime(add_days(fixed, 2)) == "2026-10-26T00:00:00.000+01:00"


def test_clock_advance_days_are_calendar_days() -> None:
    """Control API: advanceDays=1 across the autumn change moves to the same Berlin time tomorrow (25 h)."""
    sim, client = make_client(Clock(datetime(2026, 10, 24, 10, 0, tzinfo=UTC)))
    before = sim.now()
    response = client.post("/_simulator/clock", json={"advanceDays": 1})
    assert response.status_code == 200
    assert response.json()["now"] == "2026-10-25T12:00:00.000+01:00"
    assert sim.now() - before == timedelta(hours=25)


def test_voucherlist_date_window_is_the_berlin_day_across_dst() -> None:
    """§5.22 + Appendix B: `voucherDateFrom/To` select whole Berlin calendar days; on the 25-hour
    day of the autumn change the window covers 00:00 CEST to 24:00 CET."""
    _, client = make_client(Clock(datetime(2026, 10, 30, 12, 0, tzinfo=UTC)))
    contact = create_contact(client)
    first = _invoice(client, contact, "2026-10-25T00:00:00.000+02:00", 14)
    last = _invoice(
        client, contact, "2026-10-25T23:30:00.000+01:00", 14
    )  # 22:30 UTC, still the 25th
    _invoice(client, contact, "2026-10-26T00:00:00.000+01:00", 14)

    def ids(**params: str) -> set[str]:
        query = {"voucherType": "invoice", "voucherStatus": "any", **params}
        return {row["id"] for row in client.get("/v1/voucherlist", params=query).json()["content"]}

    assert ids(voucherDateFrom="2026-10-25", voucherDateTo="2026-10-25") == {
        first["id"],
        last["id"],
    }
    assert first["dueDate"] == "2026-11-08T00:00:00.000+01:00"  # 24-hour steps gave 11-07T23:00
