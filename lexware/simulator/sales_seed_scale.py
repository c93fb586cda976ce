"""Scale data for the sales side of the simulator (load tests and benchmarks).

`seed_scale_sales` builds plain finalized/draft invoice dicts directly, bypassing
`create_voucher`, so that tens of thousands of documents take seconds; the demo seed that goes
through the API's rules lives in `sales_seed`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from lexware.simulator.ledger import bump_revision
from lexware.simulator.sales_build import voucher_number
from lexware.simulator.sales_seed_master import ensure_master_data
from lexware.simulator.state import Tenant, new_id
from lexware.simulator.timefmt import add_days, berlin_date, berlin_midnight, format_datetime


def seed_scale_sales(tenant: Tenant, rng: random.Random, now: datetime, n: int) -> None:
    """`n` finalized/draft invoices built as dicts directly (benchmarks; ~50k in a few seconds)."""
    customers, _ = ensure_master_data(tenant, rng, now)
    refs = [
        (
            c["id"],
            (c.get("company") or {}).get("name")
            or " ".join(
                str((c.get("person") or {}).get(k, "")) for k in ("firstName", "lastName")
            ).strip(),
        )
        for c in customers
    ]
    start = berlin_date(now) - timedelta(days=540)
    stamps: dict[int, tuple[str, str, str]] = {}
    for _ in range(n):
        offset = rng.randint(0, 539)
        if offset not in stamps:
            when = berlin_midnight(start + timedelta(days=offset))
            stamps[offset] = (
                format_datetime(when),
                format_datetime(when + timedelta(hours=9)),
                format_datetime(add_days(when, 14)),
            )
        voucher_date, created, due = stamps[offset]
        roll = rng.random()
        status = (
            "draft"
            if roll < 0.04
            else "voided"
            if roll < 0.07
            else "open"
            if roll < 0.3
            else "paid"
        )
        quantity, price = rng.randint(1, 20), rng.randint(500, 50000) / 100
        net = round(quantity * price, 2)
        tax = round(net * 0.19 + 1e-9, 2)
        contact_id, name = rng.choice(refs)
        voucher: dict[str, Any] = {
            "id": new_id(),
            "organizationId": tenant.organization_id,
            "createdDate": created,
            "updatedDate": created,
            "version": 1,
            "language": "de",
            "archived": False,
            "voucherStatus": status,
            "voucherDate": voucher_date,
            "dueDate": None if status == "draft" else due,
            "address": {"contactId": contact_id, "name": name, "countryCode": "DE"},
            "electronicDocumentProfile": "NONE",
            "lineItems": [
                {
                    "type": "custom",
                    "name": "Leistung",
                    "quantity": quantity,
                    "unitName": "Stück",
                    "unitPrice": {
                        "currency": "EUR",
                        "netAmount": price,
                        "grossAmount": round(price * 1.19, 4),
                        "taxRatePercentage": 19,
                    },
                    "lineItemAmount": net,
                }
            ],
            "totalPrice": {
                "currency": "EUR",
                "totalNetAmount": net,
                "totalGrossAmount": round(net + tax, 2),
                "totalTaxAmount": tax,
            },
            "taxAmounts": [{"taxRatePercentage": 19, "taxAmount": tax, "netAmount": net}],
            "taxConditions": {"taxType": "net"},
            "paymentConditions": {
                "paymentTermLabel": "Zahlbar in 14 Tagen",
                "paymentTermDuration": 14,
            },
            "shippingConditions": {"shippingType": "delivery", "shippingDate": voucher_date},
            "closingInvoice": False,
            "claimedGrossAmount": round(net + tax, 2),
            "downPaymentDeductions": [],
            "recurringTemplateId": None,
            "relatedVouchers": [],
            "_type": "invoice",
        }
        if status != "draft":
            voucher["voucherNumber"] = voucher_number(tenant, "invoice")
        tenant.sales[voucher["id"]] = voucher
        if status == "paid":
            tenant.payments[voucher["id"]] = [
                {
                    "paymentItemType": "manualPayment",
                    "postingDate": due,
                    "amount": round(net + tax, 2),
                    "currency": "EUR",
                }
            ]
    bump_revision(tenant)
