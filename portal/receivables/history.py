"""Payment history for the receivables page: who pays how fast, DSO, invoiced vs. paid.

Paid dates: voucherlist rows carry none (§5.22). The payments mirror (`documents.Payment`,
§5.15, filled after `payment.changed` webhooks and by the `receivables.payments_fetch` kind)
has `paidDate`; where it is missing, the row's `updatedDate` stands in (Lexware updates it
when the invoice becomes paid), so "days to pay" may come out late when a paid invoice was
edited afterwards. Every figure is one aggregate query in the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar, cast
from uuid import UUID

from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
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

from portal.documents.models import Document, Payment
from portal.organizations.models import Organization
from portal.receivables.selectors import (
    AMOUNT,
    DSO_DAYS,
    MONTHS,
    NO_FILTERS,
    NOT_SALES,
    OPEN_AMOUNT,
    TOP_DEBTORS,
    Filters,
    berlin_today,
    day_start,
    filtered,
    invoices,
    open_invoices,
    overdue_condition,
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
        # Becoming paid updates the invoice, so updatedDate is never before the paid date:
        # this narrows the rows on an index (receivables migration 0002) before the lookup.
        .filter(lexware_updated_at__gte=day_start(since))
        .annotate(paid_at=_paid_at(organization))
        .filter(paid_at__gte=day_start(since))
    )


_DAYS_TO_PAY = ExpressionWrapper(F("paid_at") - F("voucher_date"), output_field=DurationField())


def _days(value: timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


T = TypeVar("T")


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
    contact_ids = [d.contact_lexware_id for d in result] if limit else None
    listed = hashlib.sha256(repr(contact_ids).encode()).hexdigest()[:16]
    speeds = _cached(
        f"speeds:{listed}",
        organization,
        filters,
        today,
        lambda: days_to_pay(organization=organization, contact_ids=contact_ids, today=today),
    )
    for debtor in result:
        debtor.days_to_pay, debtor.days_to_pay_before = speeds.get(
            debtor.contact_lexware_id, (None, None)
        )
    return result


# Sales and payment history moves slowly next to the open items: it is computed at most once
# per this many seconds per organization and customer (the open items are always live).
HISTORY_CACHE_SECONDS = 120


def _cached(
    name: str, organization: Organization, filters: Filters, today: date, compute: Callable[[], T]
) -> T:
    key = f"receivables:{name}:{organization.pk}:{filters.contact or '-'}:{today.isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, HISTORY_CACHE_SECONDS)
    return cast(T, value)


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

    def compute() -> tuple[Decimal, Decimal | None, Decimal | None]:
        scope = Filters(contact=filters.contact)
        invoiced = filtered(invoices(organization=organization), scope).exclude(
            status__in=NOT_SALES
        ).filter(voucher_date__gte=day_start(today - timedelta(days=DSO_DAYS))).aggregate(
            total=Sum("total_amount")
        )["total"] or Decimal("0")
        year_ago = day_start(today - timedelta(days=365))
        paid = filtered(
            paid_invoices(organization=organization, since=today - timedelta(days=730)), scope
        ).aggregate(
            recent=Avg(_DAYS_TO_PAY, filter=Q(paid_at__gte=year_ago)),
            before=Avg(_DAYS_TO_PAY, filter=Q(paid_at__lt=year_ago)),
        )
        return invoiced, _days(paid["recent"]), _days(paid["before"])

    invoiced, recent, before = _cached("overview", organization, filters, today, compute)
    dso = (open_amount / invoiced * DSO_DAYS).quantize(Decimal("0.1")) if invoiced else None
    return Overview(
        dso=dso, invoiced_90_days=invoiced, days_to_pay=recent, days_to_pay_before=before
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
    return _cached(
        "monthly", organization, filters, today, lambda: _monthly(organization, filters, today)
    )


def _monthly(organization: Organization, filters: Filters, today: date) -> list[Month]:
    starts = month_starts(today)
    since = day_start(starts[0])
    berlin = timezone.get_current_timezone()
    scope = Filters(contact=filters.contact)
    base = filtered(invoices(organization=organization), scope)
    invoiced = dict(
        base.exclude(status__in=NOT_SALES)
        .filter(voucher_date__gte=since)
        .annotate(month=TruncMonth("voucher_date", tzinfo=berlin))
        .values("month")
        .annotate(total=Sum("total_amount"))
        .values_list("month", "total")
    )
    paid = dict(
        filtered(paid_invoices(organization=organization, since=starts[0]), scope)
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
