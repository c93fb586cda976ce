"""Bookkeeping vouchers "Belege" (lexware-api.md §5.23; legacy error shape; Appendix A:
totals checked to the cent → 406 `invalid_total_amount`; stale version → 409)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from lexware.simulator.actions import action_result
from lexware.simulator.bodies import (
    Problems,
    bad_request,
    decimals,
    is_blank,
    json_body,
    not_found,
    require_version,
    to_cents,
    unescape_filter,
)
from lexware.simulator.errors import legacy
from lexware.simulator.handlers.files import checked_upload, store_file
from lexware.simulator.paging import paginate
from lexware.simulator.reference_data import (
    DISTANCE_SALES_CATEGORY_IDS,
    INCOME_CATEGORY_IDS,
    OUTGO_CATEGORY_IDS,
)
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import new_id, public
from lexware.simulator.timefmt import (
    berlin_date,
    berlin_midnight,
    format_datetime,
    parse_date,
    parse_datetime,
)

FAMILY = "legacy"
TYPES = ("salesinvoice", "salescreditnote", "purchaseinvoice", "purchasecreditnote")
SALES_TYPES = ("salesinvoice", "salescreditnote")
TAX_RATES = (0, 5, 7, 16, 19)
# Foreign EU rates through the distance-sales categories (DESTINATION organisations): any rate
# from 0 to 27 % (the highest EU standard rate) with at most 2 decimals. Our bound, not measured.
MAX_FOREIGN_RATE = 27


def _voucher_day(text: str) -> date:
    """Appendix B: bookkeeping voucher dates are accepted as `yyyy-MM-dd` *and* as full
    timestamps as GET returns them (§8.1 pattern); a timestamp counts as its Berlin calendar day."""
    try:
        return parse_date(text)
    except ValueError:
        return berlin_date(parse_datetime(text))


def date_to_timestamp(text: str) -> str:
    """Voucher dates are sent as yyyy-MM-dd (or a timestamp) and returned as timestamps at
    00:00 Berlin time (§5.23, §8.1, Appendix B)."""
    return format_datetime(berlin_midnight(_voucher_day(text)))


def _check_date(body: dict[str, Any], field: str, problems: Problems) -> None:
    value = body.get(field)
    if value is None:
        return
    try:
        _voucher_day(value)
    except ValueError:
        problems.invalid(field, "Datum im Format yyyy-MM-dd erwartet")


_NUMERIC = re.compile(r"^-?\d+(\.\d+)?$")


def _number(value: Any) -> Any:
    """Appendix B: amounts sent as numeric strings ("1748.81") are taken as numbers."""
    if isinstance(value, str) and _NUMERIC.match(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return value


def coerce_amounts(body: dict[str, Any]) -> None:
    """Turn numeric-string amounts of a bookkeeping voucher body into numbers, in place."""
    for field in ("totalGrossAmount", "totalTaxAmount"):
        if field in body:
            body[field] = _number(body[field])
    items = body.get("voucherItems")
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                for field in ("amount", "taxAmount"):
                    if field in item:
                        item[field] = _number(item[field])


def _check_amount(value: Any, field: str, problems: Problems) -> bool:
    places = decimals(value)
    if places is None or places > 2:
        problems.invalid(field, "Betrag mit höchstens 2 Nachkommastellen erwartet")
        return False
    return True


def validate_voucher(ctx: Context, body: dict[str, Any], problems: Problems) -> str:
    """All §5.23 rules for POST and PUT; returns the resulting status."""
    coerce_amounts(body)
    status = body.get("voucherStatus") or "open"
    if status not in ("open", "unchecked"):
        problems.invalid("voucherStatus", "nur open oder unchecked erlaubt")
    kind = body.get("type")
    if kind is None:
        problems.missing("type")
    elif kind not in TYPES:
        problems.invalid("type")
    tax_type = body.get("taxType")
    if tax_type is None:
        problems.missing("taxType")
    elif tax_type not in ("net", "gross"):
        problems.invalid("taxType")
    elif tax_type == "net" and status == "unchecked":
        problems.add(
            "taxType", "tax_type_net_not_allowed_for_unchecked", "unchecked nur mit taxType gross"
        )
    complete = status == "open"
    if complete:
        for field in ("voucherNumber", "voucherDate", "totalGrossAmount", "totalTaxAmount"):
            if is_blank(body.get(field)):
                problems.missing(field)
    for field in ("voucherDate", "shippingDate", "dueDate"):
        _check_date(body, field, problems)
    if body.get("shippingDate") and kind not in SALES_TYPES:
        problems.invalid("shippingDate", "nur für Verkaufsbelege")
    _check_contact(ctx, body, kind, complete, problems)
    destination = ctx.tenant.profile.get("distanceSalesPrinciple") == "DESTINATION"
    _check_items(body, kind, complete, problems, destination=destination)
    _check_files(ctx, body, problems)
    return str(status)


def _check_contact(
    ctx: Context, body: dict[str, Any], kind: Any, complete: bool, problems: Problems
) -> None:
    if body.get("useCollectiveContact"):
        return
    contact_id = body.get("contactId")
    if contact_id and not is_blank(body.get("contactName")):
        problems.add(
            "contactName",
            "custom_contact_name_for_referenced_contact_not_allowed",
            "eigener Kontaktname nur mit Sammelkontakt",
        )
    if not contact_id:
        if complete:
            problems.missing("contactId")
        return
    contact = ctx.tenant.contacts.get(contact_id)
    if contact is None:
        problems.invalid("contactId", "Kontakt existiert nicht")
        return
    needed = "customer" if kind in SALES_TYPES else "vendor"
    if needed not in (contact.get("roles") or {}):
        problems.invalid("contactId", f"Kontakt hat die Rolle {needed} nicht")


def _rate_allowed(rate: Any, category: Any, destination: bool) -> bool:
    if rate in TAX_RATES:
        return True
    if not (destination and category in DISTANCE_SALES_CATEGORY_IDS):
        return False
    places = decimals(rate)
    return places is not None and places <= 2 and 0 <= rate <= MAX_FOREIGN_RATE


def _check_items(
    body: dict[str, Any],
    kind: Any,
    complete: bool,
    problems: Problems,
    *,
    destination: bool = False,
) -> None:
    items = body.get("voucherItems")
    if items is None or items == []:
        if complete:
            problems.missing("voucherItems")
        items = []
    if not isinstance(items, list):
        problems.invalid("voucherItems")
        return
    categories = INCOME_CATEGORY_IDS if kind in SALES_TYPES else OUTGO_CATEGORY_IDS
    ok = True
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.invalid(f"voucherItems[{i}]")
            ok = False
            continue
        for field in ("amount", "taxAmount", "taxRatePercent", "categoryId"):
            if item.get(field) is None:
                problems.missing(f"voucherItems[{i}].{field}")
                ok = False
        for field in ("amount", "taxAmount"):
            if item.get(field) is not None:
                ok = _check_amount(item[field], f"voucherItems[{i}].{field}", problems) and ok
        rate = item.get("taxRatePercent")
        if rate is not None and not _rate_allowed(rate, item.get("categoryId"), destination):
            # §8.4 / Appendix B (Baebeca 015): foreign EU rates only through the distance-sales
            # categories of an organisation with distanceSalesPrinciple DESTINATION.
            problems.invalid(f"voucherItems[{i}].taxRatePercent", "erlaubt: 0, 5, 7, 16, 19")
        if item.get("categoryId") and item["categoryId"] not in categories:
            problems.invalid(
                f"voucherItems[{i}].categoryId", "unbekannte oder unpassende Kategorie"
            )
    gross_total, tax_total = body.get("totalGrossAmount"), body.get("totalTaxAmount")
    for field, value in (("totalGrossAmount", gross_total), ("totalTaxAmount", tax_total)):
        if value is not None:
            ok = _check_amount(value, field, problems) and ok
    if not ok or not items or gross_total is None or tax_total is None:
        return
    tax_sum = sum(to_cents(item["taxAmount"]) for item in items)
    amount_sum = sum(to_cents(item["amount"]) for item in items)
    gross_sum = amount_sum + tax_sum if body.get("taxType") == "net" else amount_sum
    if to_cents(gross_total) != gross_sum:
        problems.add(
            "totalGrossAmount",
            "invalid_total_amount",
            f"Summe der Positionen ist {gross_sum / 100:.2f}",
        )
    if to_cents(tax_total) != tax_sum:
        problems.add(
            "totalTaxAmount", "invalid_total_amount", f"Summe der Steuer ist {tax_sum / 100:.2f}"
        )


def _check_files(ctx: Context, body: dict[str, Any], problems: Problems) -> None:
    files = body.get("files")
    if files is None:
        return
    if not isinstance(files, list) or len(set(map(str, files))) != len(files):
        problems.invalid("files", "jede Datei höchstens einmal")
        return
    for i, file_id in enumerate(files):
        if file_id not in ctx.tenant.files:
            problems.invalid(f"files[{i}]", "Datei existiert nicht")


def _fields(body: dict[str, Any], status: str) -> dict[str, Any]:
    voucher_date = body.get("voucherDate")
    due = body.get("dueDate") or (voucher_date if status == "open" else None)
    collective = bool(body.get("useCollectiveContact"))
    return {
        "type": body["type"],
        "voucherStatus": status,
        "voucherNumber": body.get("voucherNumber"),
        "voucherDate": date_to_timestamp(voucher_date) if voucher_date else None,
        "shippingDate": date_to_timestamp(body["shippingDate"])
        if body.get("shippingDate")
        else None,
        "dueDate": date_to_timestamp(due) if due else None,
        "totalGrossAmount": body.get("totalGrossAmount"),
        "totalTaxAmount": body.get("totalTaxAmount"),
        "taxType": body["taxType"],
        "useCollectiveContact": collective,
        "contactId": None if collective else body.get("contactId"),
        "contactName": body.get("contactName"),
        "remark": body.get("remark"),
        "voucherItems": [
            {key: item.get(key) for key in ("amount", "taxAmount", "taxRatePercent", "categoryId")}
            for item in body.get("voucherItems") or []
        ],
        "files": list(body.get("files") or []),
    }


@router.route("POST", "/v1/vouchers", family=FAMILY)
def voucher_create(ctx: Context, req: Request) -> Response:
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    if body.get("version") not in (None, 0, 1):
        problems.invalid("version", "bei der Anlage 0 oder weglassen")
    status = validate_voucher(ctx, body, problems)
    problems.raise_if_any()
    now = format_datetime(ctx.now())
    voucher = {
        "id": new_id(),
        "organizationId": ctx.tenant.organization_id,
        **_fields(body, status),
        "createdDate": now,
        "updatedDate": now,
        "version": 1,
    }
    ctx.tenant.vouchers[voucher["id"]] = voucher
    for file_id in voucher["files"]:
        ctx.tenant.files[file_id]["voucherId"] = voucher["id"]
    ctx.sim.emit(ctx.tenant, "voucher.created", voucher["id"])
    return action_result(ctx, f"/v1/vouchers/{voucher['id']}", voucher)


@router.route("GET", "/v1/vouchers/{id}", family=FAMILY)
def voucher_get(ctx: Context, req: Request, id: str) -> Response:
    voucher = ctx.tenant.vouchers.get(id)
    if voucher is None:
        raise not_found(ctx, req, FAMILY)
    return Response.json(200, public(voucher))


@router.route("PUT", "/v1/vouchers/{id}", family=FAMILY)
def voucher_update(ctx: Context, req: Request, id: str) -> Response:
    voucher = ctx.tenant.vouchers.get(id)
    if voucher is None:
        raise not_found(ctx, req, FAMILY)
    body = json_body(ctx, req, FAMILY)
    problems = Problems(ctx, req, FAMILY)
    require_version(
        body,
        voucher,
        problems,
        stale=lambda: legacy(
            409,
            [{"i18nKey": "optimistic_locking_failure", "source": "version", "type": "conflict"}],
        ),
    )
    status = validate_voucher(ctx, body, problems)
    old_status = voucher["voucherStatus"]
    if old_status not in ("open", "unchecked"):
        problems.add(
            "voucherStatus",
            "voucher_not_editable",
            f"Belege im Status {old_status} sind nicht änderbar",
        )
    elif old_status == "open" and status != "open":
        problems.add("voucherStatus", "invalid_value", "nur unchecked → open möglich")
    elif old_status == "unchecked" and status != "open":
        # Since 14.07.2026 an unchecked voucher can only be updated as part of unchecked → open.
        problems.add(
            "voucherStatus", "invalid_value", "unchecked nur durch Wechsel zu open änderbar"
        )
    problems.raise_if_any()
    replaced = {
        **voucher,
        **_fields(body, status),
        "updatedDate": format_datetime(ctx.now()),
        "version": voucher["version"] + 1,
    }
    # §5.23: file ids omitted on PUT are deleted permanently.
    for file_id in set(voucher.get("files") or []) - set(replaced["files"]):
        ctx.tenant.files.pop(file_id, None)
    for file_id in replaced["files"]:
        ctx.tenant.files[file_id]["voucherId"] = id
    ctx.tenant.vouchers[id] = replaced
    ctx.sim.emit(ctx.tenant, "voucher.changed", id)
    if old_status != status:
        ctx.sim.emit(ctx.tenant, "voucher.status.changed", id)
    return action_result(ctx, f"/v1/vouchers/{id}", replaced, status=200)


@router.route("GET", "/v1/vouchers", family=FAMILY)
def voucher_by_number(ctx: Context, req: Request) -> Response:
    """Deprecated number lookup (§5.23), paged like the rest (§4)."""
    number = req.param("voucherNumber")
    if number is None or number == "":
        raise bad_request(ctx, req, FAMILY, "voucherNumber")
    number = unescape_filter(number)
    found = [v for v in ctx.tenant.vouchers.values() if v.get("voucherNumber") == number]
    found.sort(key=lambda v: (v.get("voucherDate") or "", v["id"]))
    return paginate(req, found, family=FAMILY)


@router.route("POST", "/v1/vouchers/{id}/files", family=FAMILY, accepts="multipart/form-data")
def voucher_attach_file(ctx: Context, req: Request, id: str) -> Response:
    voucher = ctx.tenant.vouchers.get(id)
    if voucher is None:
        raise not_found(ctx, req, FAMILY)
    filename, content, extension = checked_upload(ctx, req)
    record = store_file(ctx.tenant, filename, content, extension, id)
    for file_id in voucher["files"]:
        existing = ctx.tenant.files.get(file_id)
        if existing is not None and existing["checksum"] == record["checksum"]:
            del ctx.tenant.files[record["id"]]  # duplicate in the same voucher: keep the first
            return Response.json(202, {"id": file_id})
    voucher["files"].append(record["id"])
    voucher["updatedDate"] = format_datetime(ctx.now())
    voucher["version"] += 1
    ctx.sim.emit(ctx.tenant, "voucher.changed", id)
    return Response.json(202, {"id": record["id"]})
