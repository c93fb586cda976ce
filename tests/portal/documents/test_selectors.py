"""Document list, dashboard and related-voucher selectors on mirror rows; list counting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from portal.contacts.selectors import contact_list
from portal.documents.mirror import apply_document_details
from portal.documents.models import Document
from portal.documents.selectors import dashboard_figures, document_list, related_vouchers
from portal.organizations.models import Organization
from tests.portal.conftest import invoice_details, make_document, numbers

pytestmark = pytest.mark.django_db


def test_documents_default_to_sales_types_newest_first(
    org_a: Organization, documents: None
) -> None:
    assert numbers(document_list(organization=org_a)) == [
        "AG0001",
        "RE0003",
        "RE0004",
        "RE0002",
        "RE0001",
    ]


def test_overdue_means_lexware_overdue_or_open_past_due(
    org_a: Organization, documents: None
) -> None:
    page = document_list(organization=org_a, status="overdue")
    assert sorted(numbers(page)) == ["RE0001", "RE0002"]
    assert {row.shown_status for row in page.object_list} == {"overdue"}


def test_open_includes_overdue_but_not_paid(org_a: Organization, documents: None) -> None:
    assert sorted(numbers(document_list(organization=org_a, status="open"))) == [
        "RE0001",
        "RE0002",
        "RE0003",
    ]
    assert numbers(document_list(organization=org_a, status="paid")) == ["RE0004"]


def test_type_date_and_contact_filters(org_a: Organization, documents: None) -> None:
    today = timezone.localdate()
    assert numbers(document_list(organization=org_a, types=["quotation"])) == ["AG0001"]
    recent = document_list(
        organization=org_a, date_from=today - timezone.timedelta(days=25), date_to=today
    )
    assert numbers(recent) == ["AG0001", "RE0003", "RE0004"]
    werkstatt = contact_list(organization=org_a, query="werkstatt").object_list[0]
    assert numbers(document_list(organization=org_a, contact=werkstatt.lexware_id)) == [
        "RE0004",
        "RE0001",
    ]


def test_search_by_number_and_contact_name(org_a: Organization, documents: None) -> None:
    assert numbers(document_list(organization=org_a, query="re0003")) == ["RE0003"]
    assert numbers(document_list(organization=org_a, query="alpha")) == ["AG0001", "RE0003"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("total", ["RE0002", "RE0004", "RE0001", "RE0003", "AG0001"]),
        ("-total", ["AG0001", "RE0003", "RE0001", "RE0004", "RE0002"]),
        ("number", ["AG0001", "RE0001", "RE0002", "RE0003", "RE0004"]),
        ("-open", ["RE0003", "RE0001", "RE0002", "RE0004", "AG0001"]),
        ("due", ["RE0001", "RE0002", "RE0004", "RE0003", "AG0001"]),
        ("date", ["RE0001", "RE0002", "RE0004", "RE0003", "AG0001"]),
    ],
)
def test_sorting(org_a: Organization, documents: None, sort: str, expected: list[str]) -> None:
    assert numbers(document_list(organization=org_a, sort=sort)) == expected


def test_contact_sort_uses_the_contact_name(org_a: Organization, documents: None) -> None:
    assert [
        row.contact_name for row in document_list(organization=org_a, sort="contact").object_list
    ] == ["Alpha KG", "Alpha KG", "Beispiel Werkstatt GmbH", "Beispiel Werkstatt GmbH", "Zeta GmbH"]


def test_unknown_sort_falls_back_to_newest_first(org_a: Organization, documents: None) -> None:
    assert numbers(document_list(organization=org_a, sort="evil; DROP TABLE")) == numbers(
        document_list(organization=org_a)
    )


def test_documents_of_another_organization_never_appear(
    org_a: Organization, org_b: Organization, documents: None
) -> None:
    assert "Fremd GmbH" not in [
        row.contact_name for row in document_list(organization=org_a).object_list
    ]
    assert numbers(document_list(organization=org_b)) == ["RE0001"]
    assert dashboard_figures(organization=org_b).open_count == 1


def test_dashboard_figures_sum_open_and_overdue_invoices(
    org_a: Organization, documents: None
) -> None:
    figures = dashboard_figures(organization=org_a)
    assert figures.open_count == 3
    assert figures.open_total == Decimal("420.00")
    assert figures.overdue_count == 2
    assert figures.overdue_total == Decimal("120.00")
    assert [row.voucher_number for row in figures.recent][:2] == ["AG0001", "RE0003"]


def test_related_vouchers_point_to_the_area_that_shows_them(
    org_a: Organization, documents: None
) -> None:
    invoice = Document.objects.get(organization=org_a, voucher_number="RE0003")
    quotation = Document.objects.get(organization=org_a, voucher_number="AG0001")
    purchase = Document.objects.get(organization=org_a, voucher_number="ER-77")
    missing = "6a3c2b1e-0000-4000-8000-000000000001"
    details = invoice_details(
        invoice,
        relatedVouchers=[
            {
                "id": str(quotation.lexware_id),
                "voucherNumber": "AG0001",
                "voucherType": "quotation",
            },
            {
                "id": str(purchase.lexware_id),
                "voucherNumber": "ER-77",
                "voucherType": "purchaseinvoice",
            },
            {"id": missing, "voucherNumber": "GS0001", "voucherType": "creditnote"},
        ],
    )
    invoice = apply_document_details(organization=org_a, voucher_type="invoice", data=details)
    assert [
        (r.voucher_number, r.area) for r in related_vouchers(organization=org_a, document=invoice)
    ] == [("AG0001", "documents"), ("ER-77", "bookkeeping"), ("GS0001", None)]


def test_paging_through_one_filter_set_counts_once(
    org_a: Organization,
    documents: None,
    django_assert_num_queries: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from portal.core import browse

    monkeypatch.setattr(browse, "CACHE_ABOVE", 0)  # count caching is for large lists only
    document_list(organization=org_a, query="re", page=1, page_size=2)
    # Same filters, other page and sort: only the rows query, the count comes from the cache.
    with django_assert_num_queries(1):  # type: ignore[operator]
        page = document_list(organization=org_a, query="re", page=2, page_size=2, sort="total")
    assert page.paginator.count == 4
    from django.db import connection

    # New filters: count again (plus the planner estimate on PostgreSQL) and the rows.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 2):  # type: ignore[operator]
        document_list(organization=org_a, query="re0", page=1, page_size=2)


def test_small_counts_are_always_exact(org_a: Organization, documents: None) -> None:
    """A list opened before a sync must show the synced rows right after it."""
    before = document_list(organization=org_a, query="", page=1, page_size=2).paginator.count
    from portal.documents.mirror import upsert_document_from_list_row

    upsert_document_from_list_row(
        organization=org_a,
        row={
            "id": "5b0c4c1e-0000-4000-8000-000000000001",
            "voucherType": "invoice",
            "voucherStatus": "open",
            "voucherNumber": "RE99999",
            "voucherDate": "2026-11-20T00:00:00.000+01:00",
            "totalAmount": 1,
        },
    )
    assert (
        document_list(organization=org_a, query="", page=1, page_size=2).paginator.count
        == before + 1
    )


@pytest.mark.postgres
def test_large_result_sets_use_the_planner_estimate(org_a: Organization) -> None:
    from django.db import connection

    from benchmarks.pages_data import fill_mirror
    from portal.core import browse

    fill_mirror(org_a, 300)
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE documents_document"
        )  # the planner's statistics, as autovacuum would
    original = browse.ESTIMATE_ABOVE
    browse.ESTIMATE_ABOVE = 100
    try:
        page = document_list(organization=org_a)
        small = document_list(organization=org_a, query="re00001")
    finally:
        browse.ESTIMATE_ABOVE = original
    assert page.paginator.is_estimate and page.paginator.count > 100
    assert not small.paginator.is_estimate


def test_a_document_is_overdue_from_the_day_after_its_due_day(org_a: Organization) -> None:
    """§6.1 and Appendix B: overdue once the due day has ended in Berlin, not during it."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from portal.documents.selectors import overdue_condition, shown_status

    berlin = ZoneInfo("Europe/Berlin")
    due_today = make_document(org_a, number="RE-HEUTE", due_days=0)
    due_today.due_date = datetime(2026, 12, 3, tzinfo=berlin)
    due_today.save(update_fields=["due_date"])
    afternoon_of_due_day = datetime(2026, 12, 3, 15, 0, tzinfo=berlin)
    next_morning = afternoon_of_due_day + timedelta(hours=10)
    assert shown_status(due_today, afternoon_of_due_day) == "open"
    assert shown_status(due_today, next_morning) == "overdue"
    overdue = Document.objects.filter(organization=org_a).filter(
        overdue_condition(afternoon_of_due_day)
    )
    assert not overdue.filter(pk=due_today.pk).exists()
    assert Document.objects.filter(overdue_condition(next_morning), pk=due_today.pk).exists()
