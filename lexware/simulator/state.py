"""The simulator's state: one Tenant (a Lexware organisation) per API key.

Resources are kept as plain dicts in the exact JSON shape the API returns. Keys starting
with "_" are private bookkeeping (e.g. "_type" of a sales voucher, "_payments") and are
stripped by `public()` before anything is sent.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any


def new_id() -> str:
    return str(uuid.uuid4())


def public(resource: dict[str, Any]) -> dict[str, Any]:
    """A copy without private "_" keys (recursively for nested dicts and lists)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if not k.startswith("_")}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    result: dict[str, Any] = clean(resource)
    return result


@dataclass
class Tenant:
    organization_id: str
    connection_id: str
    company_name: str
    profile: dict[str, Any] = field(default_factory=dict)
    # Master data
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    # All sales vouchers of every type, keyed by id; each carries a private "_type"
    # (invoice, quotation, creditnote, orderconfirmation, deliverynote, dunning,
    # downpaymentinvoice) as used in voucherlist's voucherType.
    sales: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Bookkeeping vouchers ("Belege"), keyed by id.
    vouchers: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Uploaded files and rendered documents: id -> {"content": bytes, "filename", "mediaType",
    # "checksum", "voucherId", "status", ...}
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Recorded payments per voucher id (sales or bookkeeping): list of payment items
    # {paymentItemType, postingDate, amount, currency}.
    payments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    recurring_templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Reference data (bare arrays in the API)
    countries: list[dict[str, Any]] = field(default_factory=list)
    payment_conditions: list[dict[str, Any]] = field(default_factory=list)
    posting_categories: list[dict[str, Any]] = field(default_factory=list)
    print_layouts: list[dict[str, Any]] = field(default_factory=list)
    # Next number per number range (e.g. "invoice" -> 10001) and for customer/vendor numbers.
    counters: dict[str, int] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def next_number(self, series: str, start: int = 10001) -> int:
        with self.lock:
            value = self.counters.get(series, start)
            self.counters[series] = value + 1
            return value
