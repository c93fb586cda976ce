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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
    date_from: date | None = None
    date_to: date | None = None


NO_FILTERS = Filters()


def invoices(*, organization: Organization) -> QuerySet[Document]:
    return Document.objects.filter(
        organization=organization, deleted_at__isnull=True, voucher_type__in=INVOICE_TYPES
    )


def _filtered(queryset: QuerySet[Document], filters: Filters) -> QuerySet[Document]:
    if filters.contact is not None:
        queryset = queryset.filter(contact_lexware_id=filters.contact)
    if filters.date_from is not None:
        queryset = queryset.filter(voucher_date__gte=day_start(filters.date_from))
    if filters.date_to is not None:
        queryset = queryset.filter(voucher_date__lt=day_start(filters.date_to + timedelta(days=1)))
    return queryset


def open_invoices(
    *, organization: Organization, filters: Filters = NO_FILTERS
) -> QuerySet[Document]:
    """The open receivables the page is about (the dashboard's open invoices), filtered."""
    return _filtered(invoices(organization=organization).filter(status__in=OPEN_STATUSES), filters)


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


def aging(
    *, organization: Organization, filters: Filters = NO_FILTERS, today: date | None = None
) -> Aging:
    """Count and open amount per bucket in one aggregate query."""
    today = today or berlin_today()
    aggregates: dict[str, Any] = {}
    for bucket in BUCKETS:
        condition = bucket_condition(bucket.key, today)
        aggregates[f"n_{bucket.key}"] = Count("pk", filter=condition)
        aggregates[f"sum_{bucket.key}"] = Sum(OPEN_AMOUNT, filter=condition)
    row = open_invoices(organization=organization, filters=filters).aggregate(**aggregates)
    figures = [
        BucketFigure(bucket, row[f"n_{bucket.key}"] or 0, row[f"sum_{bucket.key}"] or Decimal("0"))
        for bucket in BUCKETS
    ]
    overdue = figures[1:]
    return Aging(
        buckets=figures,
        count=sum(f.count for f in figures),
        amount=sum((f.amount for f in figures), Decimal("0")),
        overdue_count=sum(f.count for f in overdue),
        overdue_amount=sum((f.amount for f in overdue), Decimal("0")),
    )


def _paid_at(organization: Organization) -> Coalesce:
    """Payment's paidDate (§5.15) where the payments mirror has it, else the row's updatedDate."""
    paid = Payment.objects.filter(
        organization=organization, lexware_id=OuterRef("lexware_id")
    ).values("paid_date")[:1]
    return Coalesce(Subquery(paid), F("lexware_updated_at"), output_field=DateTimeField())


def paid_invoices(*, organization: Organization, since: date) -> QuerySet[Document]:
    """Paid invoices with their paid moment (`paid_at`) on or after `since`."""
    return (
        invoices(organization=organization)
        .filter(status="paid")
        .annotate(paid_at=_paid_at(organization))
        .filter(paid_at__gte=day_start(since))
    )


_DAYS_TO_PAY = ExpressionWrapper(F("paid_at") - F("voucher_date"), output_field=DurationField())


def _days(value: timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


@dataclass
class Debtor:
    contact_lexware_id: UUID | None
    contact_name: str
    count: int
    amount: Decimal
    overdue_amount: Decimal
    oldest_due: datetime | None
    # Average days from invoice date to payment: the last 12 months and the 12 before.
    days_to_pay: Decimal | None = None
    days_to_pay_before: Decimal | None = None

    @property
    def trend(self) -> Decimal | None:
        """Positive: pays more slowly than a year before."""
        if self.days_to_pay is None or self.days_to_pay_before is None:
            return None
        return self.days_to_pay - self.days_to_pay_before


def debtors_queryset(
    *, organization: Organization, filters: Filters = NO_FILTERS, today: date | None = None
) -> QuerySet[Any]:
    today = today or berlin_today()
    return (
        open_invoices(organization=organization, filters=filters)
        .values("contact_lexware_id")
        .annotate(
            name=Max("contact_name"),
            count=Count("pk"),
            amount=Sum(OPEN_AMOUNT),
            overdue_amount=Coalesce(
                Sum(OPEN_AMOUNT, filter=overdue_condition(today)), Decimal("0"), output_field=AMOUNT
            ),
            oldest_due=Min("due_date"),
        )
        .order_by("-amount", "name")
    )


def days_to_pay(
    *, organization: Organization, contact_ids: Sequence[UUID | None] | None, today: date
) -> dict[UUID | None, tuple[Decimal | None, Decimal | None]]:
    """Per customer: average days to pay over the last 12 months and the 12 before."""
    year_ago = day_start(today - timedelta(days=365))
    paid = paid_invoices(organization=organization, since=today - timedelta(days=730))
    if contact_ids is not None:
        known = [contact for contact in contact_ids if contact is not None]
        condition = Q(contact_lexware_id__in=known)
        if None in contact_ids:
            condition |= Q(contact_lexware_id__isnull=True)
        paid = paid.filter(condition)
    rows = (
        paid.values("contact_lexware_id")
        .annotate(
            recent=Avg(_DAYS_TO_PAY, filter=Q(paid_at__gte=year_ago)),
            before=Avg(_DAYS_TO_PAY, filter=Q(paid_at__lt=year_ago)),
        )
        .order_by()
    )
    return {row["contact_lexware_id"]: (_days(row["recent"]), _days(row["before"])) for row in rows}


def _debtor(row: dict[str, Any]) -> Debtor:
    return Debtor(
        contact_lexware_id=row["contact_lexware_id"],
        contact_name=row["name"] or "",
        count=row["count"],
        amount=row["amount"] or Decimal("0"),
        overdue_amount=row["overdue_amount"] or Decimal("0"),
        oldest_due=row["oldest_due"],
    )


def debtors(
    *,
    organization: Organization,
    filters: Filters = NO_FILTERS,
    limit: int | None = TOP_DEBTORS,
    today: date | None = None,
) -> list[Debtor]:
    """Open amount per customer, largest first, with their payment speed."""
    today = today or berlin_today()
    rows = debtors_queryset(organization=organization, filters=filters, today=today)
    result = [_debtor(row) for row in (rows[:limit] if limit else rows)]
    speeds = days_to_pay(
        organization=organization,
        contact_ids=[d.contact_lexware_id for d in result] if limit else None,
        today=today,
    )
    for debtor in result:
        debtor.days_to_pay, debtor.days_to_pay_before = speeds.get(
            debtor.contact_lexware_id, (None, None)
        )
    return result


@dataclass(frozen=True)
class Overview:
    dso: Decimal | None
    invoiced_90_days: Decimal
    days_to_pay: Decimal | None
    days_to_pay_before: Decimal | None


def overview(
    *,
    organization: Organization,
    open_amount: Decimal,
    filters: Filters = NO_FILTERS,
    today: date | None = None,
) -> Overview:
    """DSO over the last 90 days: open receivables ÷ invoiced in those 90 days × 90."""
    today = today or berlin_today()
    scope = Filters(contact=filters.contact)
    invoiced = _filtered(invoices(organization=organization), scope).exclude(
        status__in=NOT_SALES
    ).filter(voucher_date__gte=day_start(today - timedelta(days=DSO_DAYS))).aggregate(
        total=Sum("total_amount")
    )["total"] or Decimal("0")
    dso = (open_amount / invoiced * DSO_DAYS).quantize(Decimal("0.1")) if invoiced else None
    year_ago = day_start(today - timedelta(days=365))
    paid = _filtered(
        paid_invoices(organization=organization, since=today - timedelta(days=730)), scope
    ).aggregate(
        recent=Avg(_DAYS_TO_PAY, filter=Q(paid_at__gte=year_ago)),
        before=Avg(_DAYS_TO_PAY, filter=Q(paid_at__lt=year_ago)),
    )
    return Overview(
        dso=dso,
        invoiced_90_days=invoiced,
        days_to_pay=_days(paid["recent"]),
        days_to_pay_before=_days(paid["before"]),
    )


@dataclass(frozen=True)
class Month:
    start: date
    invoiced: Decimal
    paid: Decimal


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    first = today.replace(day=1)
    starts = [first]
    for _month in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
        starts.append(first)
    return list(reversed(starts))


def monthly(
    *, organization: Organization, filters: Filters = NO_FILTERS, today: date | None = None
) -> list[Month]:
    """Invoiced (by invoice date) and paid (by paid date) per Berlin month, last 12 months."""
    today = today or berlin_today()
    starts = month_starts(today)
    since = day_start(starts[0])
    berlin = timezone.get_current_timezone()
    scope = Filters(contact=filters.contact)
    base = _filtered(invoices(organization=organization), scope)
    invoiced = dict(
        base.exclude(status__in=NOT_SALES)
        .filter(voucher_date__gte=since)
        .annotate(month=TruncMonth("voucher_date", tzinfo=berlin))
        .values("month")
        .annotate(total=Sum("total_amount"))
        .values_list("month", "total")
    )
    paid = dict(
        _filtered(paid_invoices(organization=organization, since=starts[0]), scope)
        .annotate(month=TruncMonth("paid_at", tzinfo=berlin))
        .values("month")
        .annotate(total=Sum("total_amount"))
        .values_list("month", "total")
    )

    def by_day(values: dict[Any, Any]) -> dict[date, Decimal]:
        return {
            (timezone.localdate(key) if isinstance(key, datetime) else key): value or Decimal("0")
            for key, value in values.items()
        }

    invoiced_by, paid_by = by_day(invoiced), by_day(paid)
    return [
        Month(start, invoiced_by.get(start, Decimal("0")), paid_by.get(start, Decimal("0")))
        for start in starts
    ]


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


def customers_with_open_items(*, organization: Organization) -> list[tuple[UUID, str]]:
    """(contact id, name) of every customer with open invoices, for the customer filter."""
    rows = (
        invoices(organization=organization)
        .filter(status__in=OPEN_STATUSES, contact_lexware_id__isnull=False)
        .values("contact_lexware_id")
        .annotate(name=Max("contact_name"))
        .order_by("name")
    )
    return [(row["contact_lexware_id"], row["name"] or "") for row in rows]
