"""Reads for the dunning run: overdue invoices not dunned in the last N days, per customer.

Which dunnings an invoice has comes from three places, because the voucherlist does not list
dunnings (§5.22): the invoice's relatedVouchers (its details, §5.1), dunnings in the mirror
(webhooks, read-backs) that name the invoice, and our own dunning operations (a succeeded one
counts at once; a waiting or running one holds the invoice back). The level reached is the
number of distinct dunnings; the last dunning's date is the newest date the mirror knows. A
dunning whose date the mirror does not know (only named in relatedVouchers) counts for the
level but does not hold the invoice back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import F
from django.db.models.fields.json import KeyTransform

from portal.documents.models import Document
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization
from portal.receivables.models import DEFAULT_DUNNING_INTERVAL_DAYS, ReceivablesSettings
from portal.receivables.selectors import (
    OPEN_AMOUNT,
    berlin_today,
    day_start,
    days_past_due,
    open_invoices,
    overdue_condition,
)
from portal.receivables.services import DUNNING_CREATE


def dunning_interval(*, organization: Organization) -> int:
    days = (
        ReceivablesSettings.objects.filter(organization=organization)
        .values_list("dunning_interval_days", flat=True)
        .first()
    )
    return days or DEFAULT_DUNNING_INTERVAL_DAYS


@dataclass
class Candidate:
    lexware_id: UUID
    organization_id: int
    voucher_number: str
    contact_lexware_id: UUID | None
    contact_name: str
    voucher_date: datetime | None
    due_date: datetime | None
    open_amount: Decimal
    days_past_due: int
    level: int = 0
    last_dunned: datetime | None = None
    dunning_ids: list[str] = field(default_factory=list)
    in_progress: bool = False

    def as_input(self) -> dict[str, Any]:
        return {
            "lexware_id": str(self.lexware_id),
            "number": self.voucher_number,
            "level": self.level,
            "dunning_ids": self.dunning_ids,
        }


@dataclass
class CustomerGroup:
    contact_lexware_id: UUID | None
    contact_name: str
    invoices: list[Candidate]

    @property
    def total(self) -> Decimal:
        return sum((c.open_amount for c in self.invoices), Decimal("0"))


def _related_ids(related: Any, voucher_type: str) -> list[str]:
    if not isinstance(related, list):
        return []
    return [
        str(entry["id"])
        for entry in related
        if isinstance(entry, dict) and entry.get("voucherType") == voucher_type and entry.get("id")
    ]


def _known_dunnings(organization: Organization) -> dict[str, dict[str, datetime | None]]:
    """invoice id → {dunning id: date} from the dunnings in the mirror."""
    by_invoice: dict[str, dict[str, datetime | None]] = {}
    rows = (
        Document.objects.filter(
            organization=organization, voucher_type="dunning", deleted_at__isnull=True
        )
        .annotate(related=KeyTransform("relatedVouchers", "raw"))
        .values("lexware_id", "voucher_date", "lexware_created_at", "related")
    )
    for row in rows:
        when = row["lexware_created_at"] or row["voucher_date"]
        for invoice_id in _related_ids(row["related"], "invoice") + _related_ids(
            row["related"], "downpaymentinvoice"
        ):
            by_invoice.setdefault(invoice_id, {})[str(row["lexware_id"])] = when
    return by_invoice


def _our_dunnings(organization: Organization) -> tuple[dict[str, dict[str, datetime]], set[str]]:
    """invoice id → {dunning id: when} of succeeded dunning operations; invoices with one
    waiting, running or unknown."""
    done: dict[str, dict[str, datetime]] = {}
    busy: set[str] = set()
    rows = (
        Operation.objects.filter(organization=organization, kind=DUNNING_CREATE)
        .exclude(state=OperationState.FAILED)
        .values("target_id", "state", "result", "created_at")
    )
    for row in rows:
        if row["state"] == OperationState.SUCCEEDED and (row["result"] or {}).get("id"):
            done.setdefault(row["target_id"], {})[str(row["result"]["id"])] = row["created_at"]
        elif row["state"] != OperationState.SUCCEEDED:
            busy.add(row["target_id"])
    return done, busy


def dunning_candidates(
    *,
    organization: Organization,
    today: date | None = None,
    include_recent: bool = False,
) -> list[CustomerGroup]:
    """Overdue invoices without a dunning in the last N days (N: the organization's
    setting), grouped by customer, largest customers first."""
    today = today or berlin_today()
    cutoff = day_start(today - timedelta(days=dunning_interval(organization=organization) - 1))
    rows = (
        open_invoices(organization=organization)
        .filter(overdue_condition(today))
        .annotate(related=KeyTransform("relatedVouchers", "raw"), amount=OPEN_AMOUNT)
        .values(
            "lexware_id",
            "voucher_number",
            "contact_lexware_id",
            "contact_name",
            "voucher_date",
            "due_date",
            "amount",
            "related",
        )
        .order_by(F("due_date").asc(nulls_last=True), "voucher_number")
    )
    mirrored = _known_dunnings(organization)
    ours, busy = _our_dunnings(organization)
    groups: dict[UUID | None, CustomerGroup] = {}
    for row in rows:
        invoice_id = str(row["lexware_id"])
        dates: dict[str, datetime | None] = dict.fromkeys(_related_ids(row["related"], "dunning"))
        for source in (mirrored.get(invoice_id, {}), ours.get(invoice_id, {})):
            for dunning_id, when in source.items():
                if when is not None or dunning_id not in dates:
                    dates[dunning_id] = when
        known_dates = [when for when in dates.values() if when is not None]
        last = max(known_dates) if known_dates else None
        candidate = Candidate(
            lexware_id=row["lexware_id"],
            organization_id=organization.pk,
            voucher_number=row["voucher_number"],
            contact_lexware_id=row["contact_lexware_id"],
            contact_name=row["contact_name"],
            voucher_date=row["voucher_date"],
            due_date=row["due_date"],
            open_amount=row["amount"],
            days_past_due=max(days_past_due(row["due_date"], today), 1),
            level=len(dates),
            last_dunned=last,
            dunning_ids=sorted(dates),
            in_progress=invoice_id in busy,
        )
        held_back = candidate.in_progress or (last is not None and last >= cutoff)
        if held_back and not include_recent:
            continue
        group = groups.setdefault(
            row["contact_lexware_id"],
            CustomerGroup(row["contact_lexware_id"], row["contact_name"], []),
        )
        group.invoices.append(candidate)
    return sorted(groups.values(), key=lambda g: (-g.total, g.contact_name))
