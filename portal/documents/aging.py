"""Open invoices by days past due, in one aggregate query: the dashboard's open and overdue
figures and its aging bar (and the receivables page's buckets) come from the same rows, so
they always add up (issue 14 item 4), and the dashboard reads them once (issue 18 item 2).

Days are Berlin days (§8.1): an invoice due today is 0 days past due ("current"), one due
yesterday 1 day; comparisons are on the indexed `due_date` against Berlin midnights. On
PostgreSQL the query is an index-only scan of receivables' partial covering index
`receivables_open_by_due` (its WHERE is exactly `open_invoices` below).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, Q, QuerySet, Sum, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.documents.models import Document
from portal.organizations.models import Organization

INVOICE_TYPES = ("invoice", "downpaymentinvoice")
OPEN_STATUSES = ("open", "overdue")
# Band keys, youngest first; "current" is everything not overdue yet.
BANDS = ("current", "1-30", "31-60", "61-90", "90plus")
AMOUNT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
# A missing open amount (not yet known from the payments endpoint) counts in full.
OPEN_AMOUNT = Coalesce("open_amount", "total_amount", Decimal("0"), output_field=AMOUNT)


def day_start(day: date) -> datetime:
    """Berlin midnight at the start of `day` (DST-aware)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def open_invoices(*, organization: Organization) -> QuerySet[Document]:
    """Invoices and down-payment invoices still to be paid (the dashboard's open invoices)."""
    return Document.objects.filter(
        organization=organization,
        deleted_at__isnull=True,
        voucher_type__in=INVOICE_TYPES,
        status__in=OPEN_STATUSES,
    )


def band_of(today: date) -> Case:
    """The band key of an open invoice as one CASE: each row is classified once. "current"
    is exactly "not overdue" (Lexware's overdue, §6.1: listed overdue, or open after its due
    day); overdue rows without a (past) due date go to 1–30 days."""
    t0, t30, t60, t90 = (day_start(today - timedelta(days=days)) for days in (0, 30, 60, 90))
    return Case(
        When(
            Q(status="open") & (Q(due_date__isnull=True) | Q(due_date__gte=t0)), then=V("current")
        ),
        When(Q(due_date__isnull=True) | Q(due_date__gte=t30), then=V("1-30")),
        When(due_date__gte=t60, then=V("31-60")),
        When(due_date__gte=t90, then=V("61-90")),
        default=V("90plus"),
        output_field=CharField(),
    )


def open_by_band(rows: QuerySet[Document], today: date) -> dict[str, tuple[int, Decimal]]:
    """Count and open amount per band of the given open invoices (every band, zeros too)."""
    found = {
        row["band"]: (row["n"], row["amount"] or Decimal("0"))
        for row in rows.annotate(band=band_of(today))
        .values("band")
        .annotate(n=Count("pk"), amount=Sum(OPEN_AMOUNT))
        .order_by()
    }
    return {band: found.get(band, (0, Decimal("0"))) for band in BANDS}
