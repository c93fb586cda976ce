"""Payments, open amounts and derived statuses of sales and bookkeeping vouchers (§5.15, §6).

The real API has no way to record a payment; the simulator's control endpoint
(`/_simulator/…`, core) and the seed call `record_payment` to play the bank/web app.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from lexware.simulator.sales_kinds import EVENT_NAMES
from lexware.simulator.state import Tenant
from lexware.simulator.timefmt import berlin_date, format_datetime, parse_datetime
from lexware.totals import ZERO, money, round2, to_decimal

PAYABLE_SALES_KINDS = {"invoice", "downpaymentinvoice", "creditnote"}
BOOKKEEPING_TYPES = {"salesinvoice", "salescreditnote", "purchaseinvoice", "purchasecreditnote"}
CREDIT_TYPES = {"creditnote", "salescreditnote", "purchasecreditnote"}
EXPENSE_TYPES = {"purchaseinvoice", "purchasecreditnote"}
PAYMENT_ITEM_TYPES = {
    "partPaymentFinancialTransaction",
    "partPaymentCreditNote",
    "partPaymentCashBox",
    "manualPayment",
    "cashDiscount",
    "dunningCosts",
    "currencyConversion",
    "irrecoverableReceivable",
}
# Kinds whose payments fire `payment.changed` (§7.1: credit notes, invoices, vouchers).
PAYMENT_EVENT_KINDS = {"invoice", "creditnote"} | BOOKKEEPING_TYPES
REVISION_KEY = "_sales_revision"


class EventSink(Protocol):
    """The part of the Simulator the ledger needs (core `app.Simulator`)."""

    def emit(self, tenant: Tenant, event_type: str, resource_id: str) -> Any: ...

    def now(self) -> datetime: ...


class PaymentError(ValueError):
    """A payment that cannot be booked (unknown voucher, draft, voided, amount too large)."""


def bump_revision(tenant: Tenant) -> None:
    """Tell derived indexes (voucherlist) that sales or payment data changed."""
    with tenant.lock:
        tenant.counters[REVISION_KEY] = tenant.counters.get(REVISION_KEY, 0) + 1


def find_voucher(tenant: Tenant, voucher_id: str) -> tuple[str, dict[str, Any]] | None:
    """(kind, voucher) for a sales voucher (kind = its `_type`) or bookkeeping voucher (its `type`)."""
    sale = tenant.sales.get(voucher_id)
    if sale is not None:
        return str(sale["_type"]), sale
    voucher = tenant.vouchers.get(voucher_id)
    if voucher is not None:
        return str(voucher.get("type")), voucher
    return None


def kind_of(voucher: dict[str, Any]) -> str:
    return str(voucher.get("_type") or voucher.get("type"))


def gross_amount(voucher: dict[str, Any]) -> Decimal:
    if voucher.get("_type"):
        if voucher.get("closingInvoice") and voucher.get("claimedGrossAmount") is not None:
            return to_decimal(voucher["claimedGrossAmount"])
        return to_decimal((voucher.get("totalPrice") or {}).get("totalGrossAmount") or 0)
    return to_decimal(voucher.get("totalGrossAmount") or 0)


def paid_amount(tenant: Tenant, voucher_id: str) -> Decimal:
    return sum((to_decimal(item["amount"]) for item in tenant.payments.get(voucher_id, [])), ZERO)


def has_payment_info(voucher: dict[str, Any]) -> bool:
    kind = kind_of(voucher)
    return kind in PAYABLE_SALES_KINDS or kind in BOOKKEEPING_TYPES


def open_amount(tenant: Tenant, voucher: dict[str, Any]) -> float | None:
    """Open amount (2 decimals), or None where the voucherlist shows null (§5.22)."""
    status = voucher.get("voucherStatus")
    if not has_payment_info(voucher) or status in {"draft", "blank", "unchecked"}:
        return None
    if status in {"voided", "paid", "paidoff"}:
        return 0.0
    remaining = gross_amount(voucher) - paid_amount(tenant, str(voucher["id"]))
    return money(max(remaining, ZERO))


def _parse_lenient(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None


def is_overdue(voucher: dict[str, Any], now: datetime) -> bool:
    """§6.1: open/sepadebit with a due date before today (CET/CEST calendar days)."""
    if voucher.get("voucherStatus") not in {"open", "sepadebit"}:
        return False
    due = _parse_lenient(voucher.get("dueDate"))
    return due is not None and berlin_date(now) > berlin_date(due)


def effective_status(tenant: Tenant, voucher: dict[str, Any], now: datetime) -> str:
    """The status the voucherlist shows: the stored one, or `overdue` when derived."""
    if is_overdue(voucher, now):
        return "overdue"
    return str(voucher.get("voucherStatus"))


def payment_view(tenant: Tenant, voucher: dict[str, Any]) -> dict[str, Any]:
    """The §5.15 payments resource of a voucher that has payment info and is not a draft."""
    kind = kind_of(voucher)
    status = str(voucher.get("voucherStatus"))
    items = tenant.payments.get(str(voucher["id"]), [])
    amount = open_amount(tenant, voucher) or 0.0
    if status == "voided" or amount == 0:
        payment_status = "balanced"
    else:
        payment_status = "openExpense" if kind in EXPENSE_TYPES else "openRevenue"
    view: dict[str, Any] = {
        "openAmount": amount,
        "currency": "EUR",
        "paymentStatus": payment_status,
        "voucherType": kind,
        "voucherStatus": status,
    }
    if status in {"paid", "paidoff"}:
        dates = [item["postingDate"] for item in items]
        view["paidDate"] = (
            max(dates, key=lambda d: _parse_lenient(d) or datetime.min)
            if dates
            else voucher.get("updatedDate")
        )
    view["paymentItems"] = [dict(item) for item in items]
    return view


def record_payment(
    sim: EventSink | None,
    tenant: Tenant,
    voucher_id: str,
    amount: float | Decimal | None = None,
    payment_item_type: str = "manualPayment",
    posting_date: datetime | None = None,
) -> dict[str, Any]:
    """Book a payment on a finalized invoice, down payment invoice, credit note or voucher.

    `amount` None = the full open amount. Moves the status to `paid` (or `paidoff` for credit
    notes) once nothing is open, fires `payment.changed` and, on a status change,
    `<type>.status.changed` + `<type>.changed`. Returns the §5.15 payments view afterwards.
    Raises PaymentError when the voucher cannot take the payment. With `sim` None (seed), no
    events fire and `posting_date` (or the voucher date) is used as "now".
    """
    with tenant.lock:
        found = find_voucher(tenant, voucher_id)
        if found is None:
            raise PaymentError(f"unknown voucher {voucher_id}")
        kind, voucher = found
        status = voucher.get("voucherStatus")
        if not has_payment_info(voucher):
            raise PaymentError(f"{kind} vouchers take no payments")
        if status not in {"open", "sepadebit", "transferred"}:
            raise PaymentError(f"voucher in status {status!r} takes no payments")
        if payment_item_type not in PAYMENT_ITEM_TYPES:
            raise PaymentError(f"unknown paymentItemType {payment_item_type!r}")
        remaining = to_decimal(open_amount(tenant, voucher) or 0)
        value = remaining if amount is None else round2(to_decimal(amount))
        if value <= 0 or value > remaining:
            raise PaymentError(f"amount must be between 0.01 and the open amount {remaining}")
        now = posting_date or (sim.now() if sim is not None else None)
        if now is None:
            raise PaymentError("posting_date is required without a simulator")
        stamp = format_datetime(now)
        tenant.payments.setdefault(voucher_id, []).append(
            {
                "paymentItemType": payment_item_type,
                "postingDate": stamp,
                "amount": money(value),
                "currency": "EUR",
            }
        )
        status_changed = value == remaining
        if status_changed:
            voucher["voucherStatus"] = "paidoff" if kind in CREDIT_TYPES else "paid"
        voucher["version"] = int(voucher.get("version") or 0) + 1
        voucher["updatedDate"] = format_datetime(sim.now()) if sim is not None else stamp
        bump_revision(tenant)
        view = payment_view(tenant, voucher)
    if sim is not None:
        resource = "voucher" if kind in BOOKKEEPING_TYPES else EVENT_NAMES[kind]
        if kind in PAYMENT_EVENT_KINDS:
            sim.emit(tenant, "payment.changed", voucher_id)
        if status_changed:
            sim.emit(tenant, f"{resource}.status.changed", voucher_id)
            sim.emit(tenant, f"{resource}.changed", voucher_id)
    return view
