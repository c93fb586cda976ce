"""Turning a validated create body into a stored sales voucher (§5.1-5.2, §5.13, §6.3).

Used by the HTTP handler (`handlers/sales_create.py`) and by the seed, so seeded documents
obey exactly the same numbering, pricing, pursue and XRechnung rules as created ones. The
address block comes from `sales_address`, the pursue rules from `sales_pursue`, the
XRechnung rules from `sales_xrechnung`.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from lexware.simulator.ledger import EventSink, bump_revision
from lexware.simulator.sales_address import resolve_address
from lexware.simulator.sales_checker import Problem
from lexware.simulator.sales_kinds import EVENT_NAMES, NUMBER_SERIES
from lexware.simulator.sales_pursue import check_pursue, link, settle_with_credit_note
from lexware.simulator.sales_rules import validate_body
from lexware.simulator.sales_xrechnung import buyer_reference, xrechnung_prerequisites
from lexware.simulator.state import Tenant, new_id
from lexware.simulator.timefmt import add_days, format_datetime, parse_datetime
from lexware.totals import price_voucher

COMMON_FIELDS = ("language", "title", "introduction", "remark", "printLayoutId")
PAYMENT_CONDITION_KINDS = {"invoice", "quotation", "orderconfirmation"}


class RuleViolation(Exception):
    """406: the body or the pursue is not acceptable; carries the problem list."""

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        super().__init__(message or "; ".join(p[2] for p in problems))
        self.problems = problems
        self.message = message


def _check_billing_address(kind: str, body: dict[str, Any], tenant: Tenant) -> None:
    """Appendix B (Baebeca live test 403): an invoice for a contact without exactly one billing
    address → 406 with Lexware's message."""
    if kind != "invoice":
        return
    contact = tenant.contacts.get(str((body.get("address") or {}).get("contactId")))
    if contact is None:
        return
    count = len(((contact.get("addresses") or {}).get("billing")) or [])
    if count != 1:
        message = f"Referenced contact needs to have exactly one billing address, but {count} addresses were found."
        raise RuleViolation([("address.contactId", "INVALID_VALUE", message)], message)


def _default_payment_conditions(tenant: Tenant) -> dict[str, Any] | None:
    for condition in tenant.payment_conditions:
        if condition.get("organizationDefault"):
            result = {
                "paymentTermLabel": condition.get("paymentTermLabelTemplate") or "",
                "paymentTermLabelTemplate": condition.get("paymentTermLabelTemplate"),
                "paymentTermDuration": condition.get("paymentTermDuration"),
            }
            if condition.get("paymentDiscountConditions"):
                result["paymentDiscountConditions"] = condition["paymentDiscountConditions"]
            return result
    return None


def _line_item(item: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "id",
        "type",
        "name",
        "description",
        "quantity",
        "unitName",
        "unitPrice",
        "discountPercentage",
        "optional",
        "alternative",
        "subItems",
    )
    result = {k: copy.deepcopy(item[k]) for k in keep if k in item and item[k] is not None}
    if "subItems" in result:
        result["subItems"] = [_line_item(sub) for sub in result["subItems"]]
    return result


def voucher_number(tenant: Tenant, kind: str) -> str | None:
    series = NUMBER_SERIES.get(kind)
    if series is None:
        return None
    name, prefix = series
    return f"{prefix}{tenant.next_number(name)}"


FIELD_ORDER = (
    "id",
    "organizationId",
    "createdDate",
    "updatedDate",
    "version",
    "language",
    "archived",
    "voucherStatus",
    "voucherNumber",
    "voucherDate",
    "expirationDate",
    "dueDate",
    "address",
    "xRechnung",
    "electronicDocumentProfile",
    "lineItems",
    "totalPrice",
    "taxAmounts",
    "taxConditions",
    "paymentConditions",
    "shippingConditions",
    "closingInvoice",
    "claimedGrossAmount",
    "downPaymentDeductions",
    "recurringTemplateId",
    "relatedVouchers",
    "printLayoutId",
    "title",
    "introduction",
    "remark",
    "deliveryTerms",
)


def in_field_order(voucher: dict[str, Any]) -> dict[str, Any]:
    """The same dict with keys in the order of the official samples (private keys last)."""
    ordered = {key: voucher[key] for key in FIELD_ORDER if key in voucher}
    ordered.update((key, value) for key, value in voucher.items() if key not in ordered)
    return ordered


def create_voucher(
    tenant: Tenant,
    kind: str,
    body: Any,
    *,
    finalize: bool,
    now: datetime,
    preceding_id: str | None = None,
    sim: EventSink | None = None,
    assign_number: bool = True,
) -> dict[str, Any]:
    """Validate, price, number, link and store a new sales voucher; fire its events.

    `assign_number=False` leaves the number range alone (the seed's recurring templates).

    Raises RuleViolation (→ 406) for invalid bodies and pursues.
    """
    problems = validate_body(kind, body, tenant)
    preceding = None
    if problems:
        raise RuleViolation(problems)
    _check_billing_address(kind, body, tenant)
    if kind == "dunning" and preceding_id is None:
        raise RuleViolation(
            [
                (
                    "precedingSalesVoucherId",
                    "NOTNULL",
                    "Mahnungen brauchen eine vorhergehende Rechnung",
                )
            ]
        )
    if preceding_id is not None:
        if kind == "quotation":
            raise RuleViolation(
                [
                    (
                        "precedingSalesVoucherId",
                        "INVALID_PURSUE",
                        "Angebote können nicht aus Belegen entstehen",
                    )
                ]
            )
        preceding = tenant.sales.get(preceding_id)
        problems = check_pursue(kind, preceding, body, tenant)
        if problems:
            raise RuleViolation(problems, "Invalid pursue action")
    reference, problems = buyer_reference(kind, body, tenant)
    if problems:
        raise RuleViolation(problems)

    stamp = format_datetime(now)
    status = "draft" if kind == "dunning" or not finalize else "open"
    if status == "open" and kind == "creditnote" and preceding is not None:
        status = "paidoff"  # §5.2: finalized credit note on an invoice is settled at once
    voucher: dict[str, Any] = {
        "id": new_id(),
        "organizationId": tenant.organization_id,
        "createdDate": stamp,
        "updatedDate": stamp,
        "version": 1,
        "language": body.get("language") or "de",
        "archived": False,
        "voucherStatus": status,
        "voucherDate": format_datetime(parse_datetime(body["voucherDate"])),
        "address": resolve_address(kind, body["address"], tenant),
        "lineItems": [_line_item(item) for item in body["lineItems"]],
        "taxConditions": {k: v for k, v in body["taxConditions"].items() if v is not None},
        "relatedVouchers": [],
        "_type": kind,
    }
    if kind == "quotation":
        voucher["expirationDate"] = format_datetime(parse_datetime(body["expirationDate"]))
    if kind != "deliverynote":
        voucher["totalPrice"] = {
            k: v
            for k, v in (body.get("totalPrice") or {}).items()
            if k in ("currency", "totalDiscountAbsolute", "totalDiscountPercentage")
            and v is not None
        }
    if kind in {"invoice", "orderconfirmation", "deliverynote", "dunning"}:
        shipping = dict(body["shippingConditions"])
        for key in ("shippingDate", "shippingEndDate"):
            if shipping.get(key):
                shipping[key] = format_datetime(parse_datetime(shipping[key]))
        voucher["shippingConditions"] = shipping
    if kind in PAYMENT_CONDITION_KINDS:
        conditions = body.get("paymentConditions") or _default_payment_conditions(tenant)
        if conditions:
            voucher["paymentConditions"] = copy.deepcopy(conditions)
    if kind in {"orderconfirmation", "deliverynote"} and body.get("deliveryTerms"):
        voucher["deliveryTerms"] = body["deliveryTerms"]
    for key in COMMON_FIELDS:
        if body.get(key) is not None:
            voucher[key] = body[key]
    if kind == "dunning" and preceding is not None:
        voucher["address"]["name"] = preceding["address"].get(
            "name"
        )  # §5.10: the invoice's name wins

    price_voucher(voucher, with_totals=kind != "deliverynote")
    if kind != "deliverynote":
        total = voucher["totalPrice"]
        if total.get("totalDiscountAbsolute") and total["totalNetAmount"] < 0:
            raise RuleViolation(
                [
                    (
                        "totalPrice.totalDiscountAbsolute",
                        "INVALID_VALUE",
                        "Rabatt übersteigt den Belegwert",
                    )
                ]
            )

    voucher["electronicDocumentProfile"] = "NONE"
    if reference is not None:
        voucher["xRechnung"] = {"buyerReference": reference}
        if status != "draft":
            problems = xrechnung_prerequisites(voucher, tenant)
            if problems:
                raise RuleViolation(problems)
            voucher["electronicDocumentProfile"] = "XRechnung"
    if kind == "invoice":
        voucher.update(
            closingInvoice=False,
            claimedGrossAmount=voucher["totalPrice"]["totalGrossAmount"],
            downPaymentDeductions=[],
            recurringTemplateId=None,
        )
        # Appendix B: a draft carries no `dueDate` (key absent).
        if status != "draft":
            days = int((voucher.get("paymentConditions") or {}).get("paymentTermDuration") or 0)
            voucher["dueDate"] = format_datetime(
                add_days(parse_datetime(voucher["voucherDate"]), days)
            )
    if status == "draft":
        voucher.pop("printLayoutId", None)  # Appendix B: drafts carry no printLayoutId

    with tenant.lock:
        # Appendix B (benethos S6): a draft already carries its document number (conflict with
        # §5.1's unnumbered draft samples; the measurement wins). Dunnings have no range.
        number = voucher_number(tenant, kind) if assign_number else None
        if number is not None:
            voucher["voucherNumber"] = number
        voucher = in_field_order(voucher)
        tenant.sales[voucher["id"]] = voucher
        if preceding is not None:
            link(tenant, voucher, preceding)
            preceding["version"] = int(preceding.get("version") or 1) + 1
            preceding["updatedDate"] = stamp
        bump_revision(tenant)

    if sim is not None:
        sim.emit(tenant, f"{EVENT_NAMES[kind]}.created", voucher["id"])
        if preceding is not None:
            sim.emit(tenant, f"{EVENT_NAMES[preceding['_type']]}.changed", preceding["id"])
    if status == "paidoff" and preceding is not None:
        settle_with_credit_note(tenant, preceding, voucher, now, sim)
    return voucher
