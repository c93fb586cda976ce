"""Reads for the receivables page: who owes what since when, from the documents mirror only.

Every figure is an aggregate in the database over the voucherlist rows (§5.22) the sync keeps
in `documents.Document`: the open invoices are exactly the dashboard's (invoices and
down-payment invoices with status open or overdue, amount = open amount, or the total while
Lexware has not reported an open amount), so the buckets add up to the dashboard's open total.

Days are Berlin days (§8.1): an invoice due today is 0 days past due ("not yet due"), one due
yesterday 1 day. Comparisons are on the indexed `due_date` column against Berlin midnights,
never a per-row date conversion.

Paid dates: voucherlist rows carry none. The payments mirror (`documents.Payment`, §5.15,
filled after `payment.changed` webhooks and by the `receivables.payments_fetch` kind) has
`paidDate`; where it is missing, the row's `updatedDate` stands in (Lexware updates it when
the invoice becomes paid), so "days to pay" may be late by later edits of a paid invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.core.mirror import search_condition
from portal.documents.aging import BANDS, open_by_band
from portal.documents.models import Document, Payment
from portal.documents.selectors import INVOICE_TYPES
from portal.organizations.models import Organization

OPEN_STATUSES = ("open", "overdue")
# Invoices that count as sales (DSO, invoiced per month): everything finalized and not voided.
NOT_SALES = ("draft", "voided")
DSO_DAYS = 90
TOP_DEBTORS = 15
MONTHS = 12

AMOUNT: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
# A missing open amount (drafts aside, Lexware may leave it null) counts in full, as on the
# dashboard.
OPEN_AMOUNT = Coalesce("open_amount", "total_amount", Decimal("0"), output_field=AMOUNT)


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str | Promise
    # Days past due, inclusive; None = open-ended.
    first_day: int | None
    last_day: int | None


BUCKETS = (
    Bucket("current", _("Not yet due"), None, 0),
    Bucket("1-30", _("1–30 days"), 1, 30),
    Bucket("31-60", _("31–60 days"), 31, 60),
    Bucket("61-90", _("61–90 days"), 61, 90),
    Bucket("90plus", _("Over 90 days"), 91, None),
)
BUCKET_KEYS = tuple(bucket.key for bucket in BUCKETS)
assert BUCKET_KEYS == BANDS, "the buckets are the documents' aging bands, with labels"


def berlin_today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def day_start(day: date) -> datetime:
    """Berlin midnight at the start of `day` (DST-aware)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue_condition(today: date) -> Q:
    """Lexware's overdue (§6.1): listed overdue, or open after its due day has ended."""
    return Q(status="overdue") | Q(status="open", due_date__lt=day_start(today))


def bucket_condition(key: str, today: date) -> Q:
    """Rows of one aging bucket. Overdue rows without a (past) due date go to 1–30 days, so
    the buckets after "not yet due" add up to the dashboard's overdue total."""
    overdue = overdue_condition(today)
    if key == "current":
        return ~overdue
    if key == "1-30":
        return overdue & (
            Q(due_date__isnull=True) | Q(due_date__gte=day_start(today - timedelta(days=30)))
        )
    if key == "31-60":
        return overdue & Q(
            due_date__lt=day_start(today - timedelta(days=30)),
            due_date__gte=day_start(today - timedelta(days=60)),
        )
    if key == "61-90":
        return overdue & Q(
            due_date__lt=day_start(today - timedelta(days=60)),
            due_date__gte=day_start(today - timedelta(days=90)),
        )
    if key == "90plus":
        return overdue & Q(due_date__lt=day_start(today - timedelta(days=90)))
    raise ValueError(f"unknown bucket {key!r}")


def days_past_due(due: datetime | None, today: date) -> int:
    if due is None:
        return 0
    return (today - timezone.localdate(due)).days


@dataclass(frozen=True)
class Filters:
    contact: UUID | None = None
    query: str = ""
    date_from: date | None = None
    date_to: date | None = None


NO_FILTERS = Filters()


def invoices(*, organization: Organization) -> QuerySet[Document]:
    return Document.objects.filter(
        organization=organization, deleted_at__isnull=True, voucher_type__in=INVOICE_TYPES
    )


def filtered(queryset: QuerySet[Document], filters: Filters) -> QuerySet[Document]:
    if filters.contact is not None:
        queryset = queryset.filter(contact_lexware_id=filters.contact)
    if filters.query.strip():
        # Voucher number and customer name (the documents' search text, trigram-indexed).
        queryset = queryset.filter(search_condition(filters.query.strip().lower()))
    if filters.date_from is not None:
        queryset = queryset.filter(voucher_date__gte=day_start(filters.date_from))
    if filters.date_to is not None:
        queryset = queryset.filter(voucher_date__lt=day_start(filters.date_to + timedelta(days=1)))
    return queryset


def open_invoices(
    *, organization: Organization, filters: Filters = NO_FILTERS
) -> QuerySet[Document]:
    """The open receivables the page is about (the dashboard's open invoices), filtered."""
    return filtered(invoices(organization=organization).filter(status__in=OPEN_STATUSES), filters)


@dataclass(frozen=True)
class BucketFigure:
    bucket: Bucket
    count: int
    amount: Decimal


@dataclass(frozen=True)
class Aging:
    buckets: list[BucketFigure]
    count: int
    amount: Decimal
    overdue_count: int
    overdue_amount: Decimal


def aging_from_bands(found: dict[str, tuple[int, Decimal]]) -> Aging:
    """The buckets and their sums from `portal.documents.aging.open_by_band`'s figures."""
    figures = [
        BucketFigure(bucket, *found.get(bucket.key, (0, Decimal("0")))) for bucket in BUCKETS
    ]
    overdue = figures[1:]
    return Aging(
        buckets=figures,
        count=sum(f.count for f in figures),
        amount=sum((f.amount for f in figures), Decimal("0")),
        overdue_count=sum(f.count for f in overdue),
        overdue_amount=sum((f.amount for f in overdue), Decimal("0")),
    )


def aging(
    *, organization: Organization, filters: Filters = NO_FILTERS, today: date | None = None
) -> Aging:
    """Count and open amount per bucket in one aggregate query (a GROUP BY over the covering
    index; the same bands as the dashboard's)."""
    today = today or berlin_today()
    return aging_from_bands(
        open_by_band(open_invoices(organization=organization, filters=filters), today)
    )


BUCKET_LIST_COLUMNS = (
    "lexware_id",
    "voucher_type",
    "status",
    "voucher_number",
    "voucher_date",
    "due_date",
    "contact_lexware_id",
    "contact_name",
    "total_amount",
    "open_amount",
    "currency",
)


def bucket_invoices(
    *,
    organization: Organization,
    bucket: str | None,
    filters: Filters = NO_FILTERS,
    today: date | None = None,
) -> QuerySet[Document]:
    """The open invoices of one bucket (all open ones without a bucket), oldest due first."""
    today = today or berlin_today()
    rows = open_invoices(organization=organization, filters=filters)
    if bucket:
        rows = rows.filter(bucket_condition(bucket, today))
    return (
        rows.only(*BUCKET_LIST_COLUMNS)
        .annotate(open_or_total=OPEN_AMOUNT)
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def customer_name(*, organization: Organization, contact_id: UUID | None) -> str | None:
    """The name the mirror's invoices give a customer (for the chosen-customer chip)."""
    if contact_id is None:
        return None
    name = (
        invoices(organization=organization)
        .filter(contact_lexware_id=contact_id)
        .order_by("-voucher_date")
        .values_list("contact_name", flat=True)
        .first()
    )
    return name or ""


def mirror_stamp(*, organization: Organization) -> str:
    """Changes whenever an invoice row of the mirror changes: every documents mirror writer
    sets `synced_at` (list rows, details, payments' open amounts, deletions). One index-only
    lookup (receivables migration 0003); the receivables page keys its precomputed figures on
    it, so they are never older than the mirror."""
    newest = (
        Document.objects.filter(organization=organization, voucher_type__in=INVOICE_TYPES)
        .order_by("-synced_at")
        .values_list("synced_at", flat=True)
        .first()
    )
    return newest.isoformat() if newest else "-"


def paid_without_payment(
    *, organization: Organization, limit: int = 200, today: date | None = None
) -> list[UUID]:
    """Paid invoices of the last two years whose payment state (§5.15) is not mirrored yet,
    newest first: what the on-demand payments fetch loads for "days to pay"."""
    today = today or berlin_today()
    known = Payment.objects.filter(organization=organization, lexware_id=OuterRef("lexware_id"))
    return list(
        invoices(organization=organization)
        .filter(status="paid", voucher_date__gte=day_start(today - timedelta(days=730)))
        .exclude(Exists(known))
        .order_by("-voucher_date")
        .values_list("lexware_id", flat=True)[:limit]
    )


@dataclass(frozen=True)
class ContactBalance:
    items: list[Document]
    balance: Decimal
    overdue: Decimal


def contact_open_items(
    *, organization: Organization, contact_id: UUID, today: date | None = None
) -> ContactBalance:
    """A customer's open invoices (oldest due first) and their sum: the contact page's
    "Offene Posten"."""
    today = today or berlin_today()
    rows = list(
        bucket_invoices(
            organization=organization, bucket=None, filters=Filters(contact=contact_id), today=today
        )
    )
    overdue_ids = set(
        open_invoices(organization=organization, filters=Filters(contact=contact_id))
        .filter(overdue_condition(today))
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.days_past_due = max(days_past_due(row.due_date, today), 0)  # type: ignore[attr-defined]
    return ContactBalance(
        items=rows,
        balance=sum((row.open_or_total for row in rows), Decimal("0")),  # type: ignore[attr-defined]
        overdue=sum((row.open_or_total for row in rows if row.pk in overdue_ids), Decimal("0")),  # type: ignore[attr-defined]
    )
