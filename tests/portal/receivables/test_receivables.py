"""Receivables page: buckets, debtors, DSO, charts and exports over voucherlist rows."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from portal.documents.mirror import (
    mark_document_deleted,
    upsert_documents_from_list_rows,
    upsert_payment,
)
from portal.documents.models import Payment
from portal.documents.selectors import dashboard_figures
from portal.organizations.models import Organization
from portal.receivables import history, selectors

pytestmark = pytest.mark.django_db

CUSTOMER_A = str(uuid.uuid4())
CUSTOMER_B = str(uuid.uuid4())


def berlin(day: date, hour: int = 0) -> str:
    """Lexware's dateTime of a Berlin day (§8.1)."""
    return timezone.make_aware(datetime.combine(day, time(hour))).isoformat(timespec="milliseconds")


def row(
    number: str,
    *,
    due: date | None,
    open_amount: str | None = "100.00",
    total: str = "100.00",
    status: str = "open",
    contact: str | None = CUSTOMER_A,
    name: str = "Alpha Kunde GmbH",
    voucher_date: date | None = None,
    voucher_type: str = "invoice",
    updated: date | None = None,
) -> dict[str, Any]:
    day = voucher_date or (due - timedelta(days=14) if due else date(2026, 1, 1))
    return {
        "id": str(uuid.uuid4()),
        "voucherType": voucher_type,
        "voucherStatus": status,
        "voucherNumber": number,
        "voucherDate": berlin(day),
        "createdDate": berlin(day, 9),
        "updatedDate": berlin(updated or day, 10),
        "dueDate": berlin(due) if due else None,
        "contactId": contact,
        "contactName": name,
        "totalAmount": float(total),
        "openAmount": float(open_amount) if open_amount is not None else None,
        "currency": "EUR",
        "archived": False,
    }


def load(org: Organization, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    upsert_documents_from_list_rows(organization=org, rows=rows)
    return rows


TODAY = date(2026, 11, 28)


def by_key(aging: selectors.Aging) -> dict[str, tuple[int, Decimal]]:
    return {f.bucket.key: (f.count, f.amount) for f in aging.buckets}


def test_bucket_edges_by_berlin_day(org_a: Organization) -> None:
    days = {"D0": 0, "D1": 1, "D30": 30, "D31": 31, "D60": 60, "D61": 61, "D90": 90, "D91": 91}
    load(org_a, [row(n, due=TODAY - timedelta(days=d)) for n, d in days.items()])
    load(org_a, [row("FUTURE", due=TODAY + timedelta(days=3)), row("NODUE", due=None)])
    figures = by_key(selectors.aging(organization=org_a, today=TODAY))
    assert figures == {
        "current": (3, Decimal("300.00")),
        "1-30": (2, Decimal("200.00")),
        "31-60": (2, Decimal("200.00")),
        "61-90": (2, Decimal("200.00")),
        "90plus": (1, Decimal("100.00")),
    }
    listed = selectors.bucket_invoices(organization=org_a, bucket="1-30", today=TODAY)
    assert sorted(d.voucher_number for d in listed) == ["D1", "D30"]


def test_due_late_in_the_berlin_evening_is_still_that_day(org_a: Organization) -> None:
    """23:30 in Berlin on the due day is 22:30 UTC: still the due day, not the day before."""
    late = timezone.make_aware(datetime.combine(TODAY - timedelta(days=1), time(23, 30)))
    entry = row("LATE", due=None)
    entry["dueDate"] = late.isoformat()
    load(org_a, [entry])
    figures = by_key(selectors.aging(organization=org_a, today=TODAY))
    assert figures["1-30"] == (1, Decimal("100.00"))
    assert selectors.days_past_due(late, TODAY) == 1
    # At 00:30 on the 29th Berlin time (23:30 UTC on the 28th) it is two days past due.
    just_after_midnight = timezone.make_aware(datetime(2026, 11, 29, 0, 30))
    assert selectors.berlin_today(just_after_midnight) == date(2026, 11, 29)


def test_overdue_status_without_past_due_date_is_overdue(org_a: Organization) -> None:
    load(org_a, [row("LISTED", due=TODAY + timedelta(days=2), status="overdue")])
    assert by_key(selectors.aging(organization=org_a, today=TODAY))["1-30"][0] == 1


def test_sums_equal_the_voucherlist_rows_and_the_dashboard(org_a: Organization) -> None:
    rows = load(
        org_a,
        [
            row("R1", due=TODAY - timedelta(days=5), open_amount="40.50", total="100.00"),
            row("R2", due=TODAY - timedelta(days=45), open_amount=None, total="19.99"),
            row("R3", due=TODAY + timedelta(days=10), open_amount="1234.56", total="1234.56"),
            row("R4", due=TODAY - timedelta(days=100), status="overdue", contact=CUSTOMER_B),
            row("P1", due=TODAY - timedelta(days=5), status="paid", open_amount="0"),
            row("V1", due=TODAY - timedelta(days=5), status="voided", open_amount="0"),
            row("DR", due=None, status="draft", open_amount=None),
            row("AB", due=TODAY - timedelta(days=2), voucher_type="downpaymentinvoice"),
            row("GS", due=TODAY - timedelta(days=2), voucher_type="creditnote"),
        ],
    )
    expected = sum(
        Decimal(str(r["openAmount"] if r["openAmount"] is not None else r["totalAmount"]))
        for r in rows
        if r["voucherType"] in ("invoice", "downpaymentinvoice")
        and r["voucherStatus"] in ("open", "overdue")
    )
    aging = selectors.aging(organization=org_a)
    assert aging.amount == expected == Decimal("1495.05")
    assert sum(f.amount for f in aging.buckets) == aging.amount
    dashboard = dashboard_figures(organization=org_a)
    assert (aging.amount, aging.count) == (dashboard.open_total, dashboard.open_count)
    assert (aging.overdue_amount, aging.overdue_count) == (
        dashboard.overdue_total,
        dashboard.overdue_count,
    )
    debtors = history.debtors(organization=org_a)
    assert sum(d.amount for d in debtors) == expected
    assert debtors[0].contact_name == "Alpha Kunde GmbH"


def test_days_to_pay_uses_payment_dates_and_compares_years(org_a: Organization) -> None:
    today = timezone.localdate()
    recent = row(
        "PAID1",
        due=None,
        status="paid",
        open_amount="0",
        voucher_date=today - timedelta(days=40),
        updated=today - timedelta(days=1),
    )
    older = row(
        "PAID2",
        due=None,
        status="paid",
        open_amount="0",
        voucher_date=today - timedelta(days=500),
        updated=today - timedelta(days=490),
    )
    load(org_a, [recent, older, row("OPEN", due=today)])
    # The payments mirror knows the real paid date of PAID1: 20 days after its invoice date.
    Payment.objects.create(
        organization=org_a,
        lexware_id=recent["id"],
        paid_date=timezone.make_aware(datetime.combine(today - timedelta(days=20), time(0))),
    )
    (debtor,) = history.debtors(organization=org_a)
    assert debtor.days_to_pay == Decimal("20.0")
    assert debtor.days_to_pay_before == Decimal("10.4")  # updatedDate at 10:00
    assert debtor.trend == Decimal("9.6")


def test_dso_over_the_last_90_days(org_a: Organization) -> None:
    today = timezone.localdate()
    load(
        org_a,
        [
            row(
                "S1",
                due=today + timedelta(days=5),
                voucher_date=today - timedelta(days=10),
                total="900.00",
                open_amount="450.00",
            ),
            row(
                "S2",
                due=None,
                status="paid",
                open_amount="0",
                total="900.00",
                voucher_date=today - timedelta(days=30),
            ),
            row(
                "OLD",
                due=None,
                status="paid",
                open_amount="0",
                total="5000.00",
                voucher_date=today - timedelta(days=120),
            ),
        ],
    )
    aging = selectors.aging(organization=org_a)
    figures = history.overview(organization=org_a, open_amount=aging.amount)
    assert figures.invoiced_90_days == Decimal("1800.00")
    assert figures.dso == Decimal("22.5")  # 450 / 1800 × 90


def test_invoiced_and_paid_per_month(org_a: Organization) -> None:
    today = timezone.localdate()
    first = today.replace(day=1)
    load(
        org_a,
        [
            row("M1", due=None, status="open", total="300.00", voucher_date=first),
            row(
                "M2",
                due=None,
                status="paid",
                open_amount="0",
                total="200.00",
                voucher_date=first,
                updated=first,
            ),
        ],
    )
    months = history.monthly(organization=org_a)
    assert len(months) == 12 and months[-1].start == first
    assert (months[-1].invoiced, months[-1].paid) == (Decimal("500.00"), Decimal("200.00"))


@pytest.fixture
def receivables_rows(org_a: Organization, org_b: Organization) -> None:
    today = timezone.localdate()
    load(
        org_a,
        [
            row(
                "RE-1",
                due=today - timedelta(days=120),
                name="Müller & Söhne",
                open_amount="1234.50",
            ),
            row("RE-2", due=today + timedelta(days=3), contact=CUSTOMER_B, name='Beta; "Kunde"'),
        ],
    )
    load(org_b, [row("FOREIGN", due=today - timedelta(days=120), name="Nicht sichtbar")])


def test_page_shows_buckets_charts_and_freshness(
    client_for: Any, carol: Any, receivables_rows: None
) -> None:
    response = client_for(carol).get(reverse("receivables:overview", kwargs={"org_slug": "alpha"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Over 90 days" in html and "Müller &amp; Söhne" in html and "Nicht sichtbar" not in html
    assert html.count("<svg") == 2 and "style=" not in html.split("<main", 1)[1]
    assert "Data as of" in html
    assert "?bucket=90plus" in html


def test_precomputed_figures_follow_every_change_of_the_mirror(
    client_for: Any, carol: Any, org_a: Organization, receivables_rows: None
) -> None:
    """The page keeps its figures rendered, keyed on the mirror's stamp: a new list row, a
    payment's open amount and a deletion each show at the next request."""
    client = client_for(carol)
    url = reverse("receivables:overview", kwargs={"org_slug": "alpha"})

    def figures(htmx: bool = False) -> str:
        headers = {"HX-Request": "true"} if htmx else {}
        html = client.get(url, headers=headers).content.decode()
        return html.split('class="figure__value">', 1)[1].split("<", 1)[0]

    assert figures() == figures(htmx=True) == "€1,334.50"
    today = timezone.localdate()
    (new,) = load(org_a, [row("RE-3", due=today - timedelta(days=5), open_amount="10.00")])
    assert figures() == "€1,344.50"
    upsert_payment(
        organization=org_a,
        voucher_id=new["id"],
        data={"openAmount": 4, "paymentStatus": "openRevenue", "voucherStatus": "open"},
    )
    assert figures(htmx=True) == "€1,338.50"
    mark_document_deleted(organization=org_a, lexware_id=new["id"])
    assert figures() == "€1,334.50"


def test_page_in_german(client_for: Any, carol: Any, receivables_rows: None) -> None:
    response = client_for(carol).get(
        reverse("receivables:overview", kwargs={"org_slug": "alpha"}),
        headers={"Accept-Language": "de"},
    )
    html = response.content.decode()
    assert "Forderungen" in html and "Über 90 Tage" in html and "1.234,50 €" in html


def test_bucket_list_and_hostile_query_strings(
    client_for: Any, carol: Any, receivables_rows: None
) -> None:
    client = client_for(carol)
    url = reverse("receivables:invoices", kwargs={"org_slug": "alpha"})
    html = client.get(url, {"bucket": "90plus"}).content.decode()
    assert "RE-1" in html and "RE-2" not in html
    for query in (
        {"bucket": "<script>"},
        {"contact": "not-a-uuid", "date_from": "32.13.2026", "q": "x" * 500},
        {"date_from": "9999-12-31", "page": "-1"},
        {"contact": "' OR 1=1 --", "date_to": "\x00"},
        {"page": "99999999999999999999"},
    ):
        response = client.get(url, query)
        assert response.status_code == 200, query
        assert "<script>" not in response.content.decode()
        overview = client.get(reverse("receivables:overview", kwargs={"org_slug": "alpha"}), query)
        assert overview.status_code == 200, query
    export = client.get(
        reverse("receivables:export", kwargs={"org_slug": "alpha"}),
        {"table": "../etc", "format": "exe"},
    )
    assert export.status_code == 400


def _csv(response: Any, delimiter: str) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


@pytest.mark.parametrize("table", ["buckets", "debtors", "months", "invoices"])
def test_csv_and_xlsx_exports(
    client_for: Any, carol: Any, receivables_rows: None, table: str
) -> None:
    client = client_for(carol)
    url = reverse("receivables:export", kwargs={"org_slug": "alpha"})
    english = _csv(client.get(url, {"table": table, "format": "csv"}), ",")
    german = _csv(
        client.get(url, {"table": table, "format": "csv"}, headers={"Accept-Language": "de"}), ";"
    )
    assert len(english) == len(german) > 1
    flat_en, flat_de = sum(english, []), sum(german, [])
    if table in ("buckets", "debtors", "invoices"):
        assert "1234.50" in flat_en and "1234,50" in flat_de
    assert "Nicht sichtbar" not in flat_en
    response = client.get(url, {"table": table, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert len(values) == len(english)
    if table == "invoices":
        assert 'Beta; "Kunde"' in sum(values, [])
        assert Decimal(str(values[1][7])) == Decimal("1234.50")


def test_bucket_export_follows_the_bucket(
    client_for: Any, carol: Any, receivables_rows: None
) -> None:
    url = reverse("receivables:export", kwargs={"org_slug": "alpha"})
    rows = _csv(
        client_for(carol).get(url, {"table": "invoices", "format": "csv", "bucket": "current"}), ","
    )
    assert [r[0] for r in rows[1:]] == ["RE-2"]


def test_dashboard_links_its_totals_here_and_shows_the_aging_bar(
    client_for: Any, carol: Any, receivables_rows: None
) -> None:
    """Issue 14 item 4: the dashboard's open/overdue totals lead to the receivables page, and
    a small aging bar (a segment per bucket with invoices, each linking to its list) sits
    under them; no inline style, and nothing of another organization."""
    response = client_for(carol).get(reverse("dashboard:index", kwargs={"org_slug": "alpha"}))
    html = response.content.decode()
    assert response.status_code == 200
    overview = reverse("receivables:overview", kwargs={"org_slug": "alpha"})
    invoices = reverse("receivables:invoices", kwargs={"org_slug": "alpha"})
    assert f'href="{overview}"' in html and f'href="{overview}#aging"' in html
    strip = html.split('class="aging-strip"', 1)[1].split("</figure>", 1)[0]
    # RE-1 (1,234.50, over 90 days) and RE-2 (100.00, not yet due); empty buckets are left out.
    assert f"{invoices}?bucket=90plus" in strip and f"{invoices}?bucket=current" in strip
    assert "?bucket=1-30" not in strip and "Nicht sichtbar" not in html
    assert "1,234.50" in strip and "style=" not in strip


def test_the_aging_bar_is_proportional_to_the_open_amounts() -> None:
    from portal.receivables.charts import STRIP_WIDTH, aging_strip

    def figure(key: str, count: int, amount: str) -> selectors.BucketFigure:
        bucket = next(b for b in selectors.BUCKETS if b.key == key)
        return selectors.BucketFigure(bucket, count, Decimal(amount))

    segments = aging_strip(
        [figure("current", 1, "300"), figure("1-30", 0, "0"), figure("90plus", 3, "900")]
    )
    assert [s.key for s in segments] == ["current", "90plus"]
    assert [s.width for s in segments] == [STRIP_WIDTH / 4, STRIP_WIDTH * 3 / 4]
    assert segments[1].x == segments[0].width
    # A tiny bucket keeps a visible sliver and the strip still fits its viewBox.
    tiny = aging_strip([figure("current", 1, "0.01"), figure("90plus", 1, "100000")])
    assert tiny[0].width > 0 and tiny[-1].x + tiny[-1].width <= STRIP_WIDTH + 0.1
    assert aging_strip([figure("current", 0, "0")]) == []
