"""Demo data for the sales side of the simulator.

`seed_demo_sales` goes through the same `create_voucher` path as the API (so numbering,
totals, pursue links and XRechnung behave as for created documents) and then plays the web
app: accepts/rejects quotations, voids invoices, books payments. The customers and articles it
references come from `sales_seed_master`; the load-test seed is `sales_seed_scale`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from lexware.simulator.ledger import bump_revision, record_payment
from lexware.simulator.sales_build import create_voucher
from lexware.simulator.sales_seed_master import ensure_master_data
from lexware.simulator.sales_tax import allowed_rates
from lexware.simulator.state import Tenant, new_id
from lexware.simulator.timefmt import add_days, berlin_date, berlin_midnight, format_datetime

CUSTOM_ITEMS = (
    ("Anfahrt", "Pauschale", 35.0),
    ("Entsorgung", "Pauschale", 18.0),
    ("Kleinmaterial", "Stück", 4.2),
)


class _Maker:
    def __init__(self, tenant: Tenant, rng: random.Random, now: datetime) -> None:
        self.tenant, self.rng, self.now = tenant, rng, now
        self.customers, self.articles = ensure_master_data(tenant, rng, now)
        self.plain_customers = [
            c for c in self.customers if not (c.get("xRechnung") or {}).get("buyerReference")
        ]
        self.count = 0

    def lines(self, when: datetime, *, quotation_extras: bool = False) -> list[dict[str, Any]]:
        rates = allowed_rates("net", berlin_date(when)) or set()
        high, low = max(rates), sorted(rates)[1]
        items: list[dict[str, Any]] = []
        for _ in range(self.rng.randint(1, 4)):
            if self.rng.random() < 0.7:
                article = self.rng.choice(self.articles)
                price = article.get("price") or {}
                rate = high if float(price.get("taxRate", 19)) >= 10 else low
                items.append(
                    {
                        "id": article["id"],
                        "type": "service" if article.get("type") == "SERVICE" else "material",
                        "name": article.get("title", "Artikel"),
                        "quantity": self.rng.choice([1, 1, 2, 3, 5, 2.5]),
                        "unitName": article.get("unitName") or "Stück",
                        "unitPrice": {
                            "currency": "EUR",
                            "netAmount": float(price.get("netPrice") or 10.0),
                            "taxRatePercentage": float(rate),
                        },
                        "discountPercentage": self.rng.choice([0, 0, 0, 5, 10]),
                    }
                )
            else:
                name, unit, net = self.rng.choice(CUSTOM_ITEMS)
                items.append(
                    {
                        "type": "custom",
                        "name": name,
                        "quantity": 1,
                        "unitName": unit,
                        "unitPrice": {
                            "currency": "EUR",
                            "netAmount": net,
                            "taxRatePercentage": float(high),
                        },
                    }
                )
        if self.rng.random() < 0.2:
            items.append(
                {"type": "text", "name": "Hinweis", "description": "Vielen Dank für Ihren Auftrag."}
            )
        if quotation_extras:
            items[0]["subItems"] = [
                dict(items[0], alternative=True, name=items[0]["name"] + " (Premium)")
            ]
            items[0]["subItems"][0].pop("discountPercentage", None)
            items.append(dict(items[0], optional=True, subItems=None))
        return items

    def body(
        self, kind: str, contact: dict[str, Any], when: datetime, **extra: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "voucherDate": format_datetime(when),
            "address": {"contactId": contact["id"]},
            "lineItems": self.lines(when, quotation_extras=extra.pop("extras", False)),
            "totalPrice": {"currency": "EUR"},
            "taxConditions": {"taxType": "net"},
        }
        if kind in {"invoice", "orderconfirmation", "deliverynote", "dunning"}:
            body["shippingConditions"] = {
                "shippingType": "delivery",
                "shippingDate": format_datetime(when),
            }
        if kind in {"invoice", "orderconfirmation", "quotation"}:
            days = self.rng.choice([14, 14, 30])
            body["paymentConditions"] = {
                "paymentTermLabel": f"Zahlbar innerhalb von {days} Tagen ohne Abzug.",
                "paymentTermDuration": days,
            }
        if kind == "creditnote":  # §5.7: no discounts on credit notes
            for item in body["lineItems"]:
                item.pop("discountPercentage", None)
        if kind == "quotation":
            body["expirationDate"] = format_datetime(add_days(when, 30))
        if self.rng.random() < 0.15 and kind != "creditnote":
            body["totalPrice"]["totalDiscountPercentage"] = 3
        body.update(extra)
        return body

    def create(
        self,
        kind: str,
        contact: dict[str, Any],
        when: datetime,
        *,
        finalize: bool = True,
        preceding: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        self.count += 1
        when = min(when, self.now - timedelta(hours=1))
        return create_voucher(
            self.tenant,
            kind,
            self.body(kind, contact, when, **extra),
            finalize=finalize,
            now=when + timedelta(hours=self.rng.randint(8, 17))
            if when + timedelta(hours=17) < self.now
            else when,
            preceding_id=preceding["id"] if preceding else None,
        )

    def pay(self, voucher: dict[str, Any], after_days: int, *, part: float | None = None) -> None:
        posting = min(
            add_days(
                berlin_midnight(berlin_date(datetime.fromisoformat(voucher["voucherDate"]))),
                after_days,
            ),
            self.now - timedelta(minutes=5),
        )
        gross = voucher["totalPrice"]["totalGrossAmount"]
        record_payment(
            None,
            self.tenant,
            voucher["id"],
            round(gross * part, 2) if part else None,
            "partPaymentFinancialTransaction" if part else "manualPayment",
            posting,
        )


def seed_demo_sales(tenant: Tenant, rng: random.Random, now: datetime) -> None:
    """≥ 300 sales documents over the 18 months before `now`, every type and status, chains,
    payments, dunnings, down payment invoices and ~10 recurring templates."""
    make = _Maker(tenant, rng, now)
    start = berlin_date(now) - timedelta(days=540)

    def day(offset: int) -> datetime:
        return berlin_midnight(start + timedelta(days=offset))

    # Follow-up chains: quotation → order confirmation → delivery note → invoice → …
    for index in range(45):
        contact = rng.choice(make.plain_customers or make.customers)
        when = day(rng.randint(0, 500))
        quotation = make.create("quotation", contact, when)
        quotation["voucherStatus"] = "accepted"
        confirmation = make.create(
            "orderconfirmation", contact, add_days(when, 3), preceding=quotation
        )
        delivery = make.create("deliverynote", contact, add_days(when, 8), preceding=confirmation)
        invoice = make.create("invoice", contact, add_days(when, 9), preceding=delivery)
        if index % 5 == 0:
            make.create("creditnote", contact, add_days(when, 15), preceding=invoice)
        elif index % 5 in (1, 2):
            make.pay(invoice, rng.randint(5, 25))
    # Standalone quotations in every status.
    for index in range(40):
        contact = rng.choice(make.customers)
        quotation = make.create(
            "quotation",
            contact,
            day(rng.randint(0, 535)),
            finalize=index % 8 != 0,
            extras=index % 6 == 1,
        )
        if quotation["voucherStatus"] == "open" and index % 3 == 0:
            quotation["voucherStatus"] = "accepted" if index % 2 else "rejected"
    # Invoices: paid, partly paid, open, overdue, voided, drafts.
    for index in range(90):
        contact = rng.choice(make.customers)
        recent = index % 10 == 0
        when = day(rng.randint(525, 538)) if recent else day(rng.randint(0, 520))
        invoice = make.create("invoice", contact, when, finalize=index % 12 != 5)
        if invoice["voucherStatus"] != "open" or recent:
            continue
        if index % 9 == 3:
            invoice["voucherStatus"] = "voided"
        elif index % 7 == 2:
            make.pay(invoice, 10, part=0.5)
        elif index % 4 != 0:
            make.pay(invoice, rng.randint(3, 30))
    # Dunnings for overdue invoices.
    overdue = [
        v
        for v in tenant.sales.values()
        if v["_type"] == "invoice"
        and v["voucherStatus"] == "open"
        and v.get("dueDate")
        and berlin_date(datetime.fromisoformat(v["dueDate"])) < berlin_date(now) - timedelta(days=7)
    ]
    for invoice in overdue[:12]:
        contact = tenant.contacts[invoice["address"]["contactId"]]
        due = datetime.fromisoformat(invoice["dueDate"])
        make.create("dunning", contact, add_days(due, 7), preceding=invoice)
    # Standalone credit notes (open and paid off), order confirmations and delivery notes.
    for index in range(20):
        credit = make.create(
            "creditnote",
            rng.choice(make.customers),
            day(rng.randint(0, 530)),
            finalize=index % 7 != 0,
        )
        if credit["voucherStatus"] == "open" and index % 2:
            make.pay(credit, 14)
    for index in range(15):
        make.create(
            "orderconfirmation",
            rng.choice(make.customers),
            day(rng.randint(0, 535)),
            finalize=index % 5 != 0,
        )
        make.create(
            "deliverynote",
            rng.choice(make.customers),
            day(rng.randint(0, 535)),
            finalize=index % 5 != 0,
        )
    _down_payments(make, day)
    _recurring_templates(make)
    bump_revision(tenant)


def _down_payments(make: _Maker, day: Any) -> None:
    """§5.9: read-only, one line item; created in the web app only, so built here directly."""
    for index, status in enumerate(("open", "paid", "paid", "voided", "draft", "open")):
        contact = make.rng.choice(make.plain_customers or make.customers)
        when = day(make.rng.randint(300, 530))
        gross = make.rng.choice([666.0, 1190.0, 2380.0])
        body = make.body("invoice", contact, when)
        body["taxConditions"] = {"taxType": "gross"}
        body["lineItems"] = [
            {
                "type": "custom",
                "name": f"Abschlag {index + 1}",
                "quantity": 1,
                "unitName": "Stück",
                "unitPrice": {"currency": "EUR", "grossAmount": gross, "taxRatePercentage": 19.0},
            }
        ]
        body["totalPrice"] = {"currency": "EUR"}
        invoice = create_voucher(make.tenant, "invoice", body, finalize=status != "draft", now=when)
        # Re-type the priced invoice as a down payment invoice with its own (invoice-range) number.
        invoice["_type"] = "downpaymentinvoice"
        invoice["closingInvoiceId"] = None
        for key in (
            "closingInvoice",
            "claimedGrossAmount",
            "downPaymentDeductions",
            "recurringTemplateId",
        ):
            invoice.pop(key, None)
        if status == "paid":
            make.pay(invoice, 7)
        elif status == "voided":
            invoice["voucherStatus"] = "voided"


def _recurring_templates(make: _Maker) -> None:
    intervals = ("MONTHLY", "MONTHLY", "QUARTERLY", "ANNUALLY", "WEEKLY", "BIWEEKLY", "BIANNUALLY")
    for index in range(10):
        contact = make.customers[index % len(make.customers)]
        created = add_days(make.now, -(400 - index * 30))
        body = make.body("invoice", contact, created)
        template = create_voucher(
            make.tenant, "invoice", body, finalize=False, now=created, assign_number=False
        )
        del make.tenant.sales[template["id"]]
        for key in (
            "voucherStatus",
            "voucherNumber",
            "voucherDate",
            "dueDate",
            "shippingConditions",
            "_type",
            "relatedVouchers",
            "closingInvoice",
            "claimedGrossAmount",
            "downPaymentDeductions",
            "recurringTemplateId",
            "xRechnung",
            "electronicDocumentProfile",
        ):
            template.pop(key, None)
        status = "PAUSED" if index == 7 else "ENDED" if index == 8 else "ACTIVE"
        next_run = berlin_date(make.now) + timedelta(days=1 + index * 3)
        template["title"] = "Wartungsvertrag" if index % 2 else "Monatliche Pauschale"
        template["updatedDate"] = format_datetime(add_days(created, index))
        template["recurringTemplateSettings"] = {
            "id": new_id(),
            "startDate": None if status == "PAUSED" else berlin_date(created).isoformat(),
            "endDate": (berlin_date(make.now) - timedelta(days=5)).isoformat()
            if status == "ENDED"
            else None,
            "finalize": index % 3 != 0,
            "shippingType": "service",
            "retroactiveInvoice": False,
            "executionInterval": intervals[index % len(intervals)],
            "nextExecutionDate": None if status != "ACTIVE" else next_run.isoformat(),
            "lastExecutionFailed": index == 4,
            "lastExecutionErrorMessage": "Kontakt hat keine E-Mail-Adresse" if index == 4 else None,
            "executionStatus": status,
        }
        make.tenant.recurring_templates[template["id"]] = template
