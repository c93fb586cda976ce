"""Reads of the document mirror: sales documents and (through `portal.bookkeeping`) bookkeeping
vouchers, all rows of the voucherlist (lexware-api.md §5.22). Never calls Lexware."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.functions import Collate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lexware import deeplinks
from portal.core.browse import count_key, paginate
from portal.core.mirror import GERMAN_COLLATION, search_condition
from portal.documents import aging
from portal.documents.models import (
    API_RESOURCE,
    BOOKKEEPING_TYPES,
    SALES_TYPES,
    TYPE_LABELS,
    Document,
    Payment,
)
from portal.organizations.models import Organization

PAGE_SIZE = 50
# Only what a list row shows: never the raw JSON columns.
LIST_COLUMNS = (
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
    "archived",
)


@dataclass(slots=True)
class DocumentRow:
    """One row of a document list: the listed columns and the status to show. Not a model
    instance: building fifty of those (every field of the model, most of them deferred) was a
    fifth of the list selector's time."""

    pk: int
    lexware_id: Any
    voucher_type: str
    status: str
    voucher_number: str
    voucher_date: datetime | None
    due_date: datetime | None
    contact_lexware_id: Any
    contact_name: str
    total_amount: Decimal | None
    open_amount: Decimal | None
    currency: str
    archived: bool
    shown_status: str = ""

    @property
    def is_sales(self) -> bool:
        return self.voucher_type in SALES_TYPES


# Sort keys the page offers → model fields. Anything else falls back to the default.
SORT_FIELDS = {
    "date": "voucher_date",
    "number": "voucher_number",
    "contact": "contact_name",
    "total": "total_amount",
    "open": "open_amount",
    "due": "due_date",
}
DEFAULT_SORT = "-date"
SORT_CHOICES = tuple(key for name in SORT_FIELDS for key in (name, f"-{name}"))
# Statuses one can filter by. "open" includes rows Lexware lists as overdue (they are unpaid
# too); "overdue" is Lexware's overdue plus open rows whose due date has passed (§6.1).
SALES_STATUSES = (
    "draft",
    "open",
    "overdue",
    "paid",
    "paidoff",
    "voided",
    "transferred",
    "sepadebit",
    "accepted",
    "rejected",
)
BOOKKEEPING_STATUSES = (
    "unchecked",
    "blank",
    "open",
    "overdue",
    "paid",
    "paidoff",
    "voided",
    "transferred",
    "sepadebit",
)
INVOICE_TYPES = aging.INVOICE_TYPES
RECENT_SHOWN = 8


def _today_start(now: datetime | None = None) -> datetime:
    return _day_start(timezone.localdate(now or timezone.now()))


def overdue_condition(now: datetime | None = None) -> Q:
    """Lexware's overdue: still open after its due day has ended in Berlin (§6.1) — on the due
    day itself a document is not overdue yet."""
    return Q(status="overdue") | Q(status="open", due_date__lt=_today_start(now))


def _day_start(day: date) -> datetime:
    # Voucher dates are whole days in Lexware's local time (§8.1): compare with local midnight,
    # on the indexed column (no per-row date conversion in SQL).
    return timezone.make_aware(datetime.combine(day, time.min))


# Where empty values go, fixed per column so that one index per column serves both
# directions (a B-tree read backwards): amounts without a value count as the smallest, dates
# without a value as the latest. Indexes: documents migration 0003.
NULLS_SMALLEST = ("total_amount", "open_amount")


def _ordering(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in SORT_FIELDS:
        return _ordering(DEFAULT_SORT)
    field = SORT_FIELDS[name]
    column: F | Collate = F(field)
    tie_breaker = F("pk")
    if field == "contact_name":
        # German order (Ä with A); PostgreSQL walks the collated index of core migration 0001.
        column = Collate(field, GERMAN_COLLATION)
    if name == "date" or field in ("contact_name", "voucher_number"):
        # Plain direction (these columns are never null in practice): PostgreSQL walks the
        # (organization, column, id) index either way.
        return (
            [column.desc(), tie_breaker.desc()] if descending else [column.asc(), tie_breaker.asc()]
        )
    if field in NULLS_SMALLEST:
        if descending:
            return [column.desc(nulls_last=True), tie_breaker.desc()]
        return [column.asc(nulls_first=True), tie_breaker.asc()]
    if descending:
        return [column.desc(nulls_first=True), tie_breaker.desc()]
    return [column.asc(nulls_last=True), tie_breaker.asc()]


def document_queryset(
    *,
    organization: Organization,
    types: Sequence[str] = SALES_TYPES,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    contact: Any = None,
    query: str = "",
) -> QuerySet[Document]:
    documents = Document.objects.filter(
        organization=organization, deleted_at__isnull=True, voucher_type__in=list(types)
    )
    if status == "overdue":
        documents = documents.filter(overdue_condition())
    elif status == "open":
        documents = documents.filter(status__in=("open", "overdue"))
    elif status:
        documents = documents.filter(status=status)
    if date_from is not None:
        documents = documents.filter(voucher_date__gte=_day_start(date_from))
    if date_to is not None:
        documents = documents.filter(voucher_date__lt=_day_start(date_to + timedelta(days=1)))
    if contact:
        documents = documents.filter(contact_lexware_id=contact)
    term = query.strip().lower()
    if term:
        # Voucher number and contact name are in the lower-cased search text.
        documents = documents.filter(search_condition(term))
    return documents


def shown_status(
    document: Document | DocumentRow,
    now: datetime | None = None,
    *,
    today_start: datetime | None = None,
) -> str:
    """The status to show: an open document past its due date is overdue (§6.1).
    `today_start` (local midnight, _today_start) spares a page of rows the zone lookups."""
    if (
        document.status == "open"
        and document.due_date
        and document.due_date < (today_start or _today_start(now))
    ):
        return "overdue"
    return document.status


def document_list(
    *,
    organization: Organization,
    types: Sequence[str] = SALES_TYPES,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    contact: Any = None,
    query: str = "",
    sort: str = DEFAULT_SORT,
    page: int | None = 1,
    page_size: int = PAGE_SIZE,
) -> Page[Any]:
    """One page of documents as DocumentRow, each with its `shown_status`."""
    filters = {
        "types": tuple(sorted(types)),
        "status": status,
        "from": date_from,
        "to": date_to,
        "contact": str(contact or ""),
        "q": query.strip().lower(),
    }
    documents = (
        document_queryset(
            organization=organization,
            types=types,
            status=status,
            date_from=date_from,
            date_to=date_to,
            contact=contact,
            query=query,
        )
        .order_by(*_ordering(sort or DEFAULT_SORT))
        .values_list("pk", *LIST_COLUMNS)
    )
    result = paginate(
        documents,
        page=page,
        page_size=page_size,
        key=count_key("documents", organization.pk, filters),
    )
    today_start = _today_start()
    rows = [DocumentRow(*values) for values in result.object_list]
    for row in rows:
        row.shown_status = shown_status(row, today_start=today_start)
    result.object_list = rows
    return result


def document_detail(
    *, organization: Organization, lexware_id: Any, types: Sequence[str] = SALES_TYPES
) -> Document:
    return get_object_or_404(
        Document,
        organization=organization,
        lexware_id=lexware_id,
        voucher_type__in=list(types),
        deleted_at__isnull=True,
    )


def document_payment(*, organization: Organization, document: Document) -> Payment | None:
    return Payment.objects.filter(organization=organization, lexware_id=document.lexware_id).first()


@dataclass(frozen=True)
class RelatedVoucher:
    lexware_id: str
    voucher_number: str
    voucher_type: str
    # The portal area that shows it, when it is in the mirror: "documents" or "bookkeeping".
    area: str | None

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.voucher_type, self.voucher_type))


def related_vouchers(*, organization: Organization, document: Document) -> list[RelatedVoucher]:
    """`relatedVouchers` of the details (§5.1), marked with where the portal shows each one."""
    entries = [
        entry for entry in (document.raw or {}).get("relatedVouchers") or [] if entry.get("id")
    ]
    known_ids = dict(
        Document.objects.filter(
            organization=organization,
            deleted_at__isnull=True,
            lexware_id__in=[entry["id"] for entry in entries],
        ).values_list("lexware_id", "voucher_type")
    )
    known = {str(key): value for key, value in known_ids.items()}
    related = []
    for entry in entries:
        voucher_type = known.get(str(entry["id"]))
        area = None
        if voucher_type in SALES_TYPES:
            area = "documents"
        elif voucher_type in BOOKKEEPING_TYPES:
            area = "bookkeeping"
        related.append(
            RelatedVoucher(
                lexware_id=str(entry["id"]),
                voucher_number=str(entry.get("voucherNumber") or ""),
                voucher_type=str(entry.get("voucherType") or voucher_type or ""),
                area=area,
            )
        )
    return related


def dunned_invoice(*, document: Document) -> Document | None:
    """The invoice (or down-payment invoice) a dunning pursues (§5.2, §5.10), from the
    dunning's relatedVouchers, when the mirror has it."""
    ids = [
        str(entry["id"])
        for entry in (document.raw or {}).get("relatedVouchers") or []
        if isinstance(entry, dict) and entry.get("id") and entry.get("voucherType") in INVOICE_TYPES
    ]
    if document.voucher_type != "dunning" or not ids:
        return None
    return Document.objects.filter(
        organization_id=document.organization_id, deleted_at__isnull=True, lexware_id__in=ids
    ).first()


def lexware_url(document: Document) -> str | None:
    """The "open in Lexware" deeplink (§5.24)."""
    resource = API_RESOURCE.get(document.voucher_type)
    if resource is None and document.voucher_type in BOOKKEEPING_TYPES:
        resource = "vouchers"
    if resource is None:
        return None
    return deeplinks.view_url(resource, document.lexware_id)


@dataclass
class DashboardFigures:
    open_count: int = 0
    open_total: Decimal = Decimal("0")
    overdue_count: int = 0
    overdue_total: Decimal = Decimal("0")
    recent: list[Document] = field(default_factory=list)
    # Count and open amount per aging band (portal.documents.aging.BANDS): the aging bar.
    bands: dict[str, tuple[int, Decimal]] = field(default_factory=dict)


def dashboard_figures(
    *, organization: Organization, recent: int = RECENT_SHOWN
) -> DashboardFigures:
    """Open and overdue invoices (count and sum of open amounts, per aging band too) in one
    aggregate query, and the newest documents."""
    now = timezone.now()
    bands = aging.open_by_band(
        aging.open_invoices(organization=organization), timezone.localdate(now)
    )
    # Overdue is every band but "current" (aging.band_of: the same rows as overdue_condition).
    overdue = [figure for band, figure in bands.items() if band != "current"]
    newest = list(
        Document.objects.filter(
            organization=organization, deleted_at__isnull=True, voucher_type__in=SALES_TYPES
        )
        .only(*LIST_COLUMNS)
        .order_by("-voucher_date", "-pk")[:recent]
    )
    for row in newest:
        row.shown_status = shown_status(row, now)  # type: ignore[attr-defined]
    return DashboardFigures(
        open_count=sum(count for count, _ in bands.values()),
        open_total=sum((amount for _, amount in bands.values()), Decimal("0")),
        overdue_count=sum(count for count, _ in overdue),
        overdue_total=sum((amount for _, amount in overdue), Decimal("0")),
        recent=newest,
        bands=bands,
    )
