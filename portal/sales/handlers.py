"""Worker side of the editor (DESIGN.md §7): one write kind per sales type.

`<type>.create` sends one POST to the type's endpoint (lexware/resources/sales.py). The new
id is recorded by the runner at once; reading the document back into the documents mirror
(portal/documents/fetch.py) is a separate phase retried alone. A POST whose outcome is
unknown is never sent again: the reconciler looks in the voucherlist for a document of the
type, for the contact, created since the operation began, with the total Lexware computes for
what was sent (lexware.totals, as the simulator does), that no other operation has claimed and
the mirror did not know before; each such candidate is read and compared with what was sent
(`same_document`) before it is adopted.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexware.totals import price_voucher
from portal.core.mirror import api_dict, parse_decimal
from portal.documents.fetch import fetch_document
from portal.documents.handlers import document_page
from portal.documents.models import Document
from portal.operations.models import Operation
from portal.operations.registry import Handler, Reconciler, write_kind
from portal.sales.services import INPUT_KEY
from portal.sales.types import KINDS, SALES_TYPES, SalesType

if TYPE_CHECKING:
    from lexware import LexwareClient

BERLIN = ZoneInfo("Europe/Berlin")
LABELS = {
    "quotation": _("Create quotation"),
    "orderconfirmation": _("Create order confirmation"),
    "deliverynote": _("Create delivery note"),
    "invoice": _("Create invoice"),
    "creditnote": _("Create credit note"),
}


def editor_url(operation: Operation) -> str:
    """The editor reopened with this operation's input, every line included."""
    sales_type = KINDS[operation.kind]
    url = reverse(
        "sales:new",
        kwargs={"org_slug": operation.organization.slug, "voucher_type": sales_type.voucher_type},
    )
    return f"{url}?{urlencode({'from': operation.code})}"


def expected_total(body: dict[str, Any], sales_type: SalesType) -> Decimal | None:
    """The total gross Lexware computes for `body` (what the voucherlist shows as
    totalAmount), by the same engine; None for delivery notes, which have no totals."""
    if not sales_type.totals:
        return None
    priced = copy.deepcopy(body)
    try:
        price_voucher(priced)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    return parse_decimal((priced.get("totalPrice") or {}).get("totalGrossAmount"))


def _read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    sales_type = KINDS[operation.kind]
    document = fetch_document(
        client=client,
        organization=operation.organization,
        voucher_type=sales_type.voucher_type,
        lexware_id=operation.target_id,
    )
    return {
        "id": operation.target_id,
        "voucher_number": document.voucher_number if document else "",
        "status": document.status if document else "",
    }


def _reconcile(operation: Operation, client: LexwareClient) -> str | None:
    sales_type = KINDS[operation.kind]
    body = operation.input[INPUT_KEY]
    address = body.get("address") or {}
    contact_id = address.get("contactId")
    total = expected_total(body, sales_type)
    since = operation.created_at.astimezone(BERLIN).date() - timedelta(days=1)
    filters: dict[str, Any] = {"created_date_from": since, "sort": "createdDate,DESC"}
    if contact_id:
        filters["contact_id"] = contact_id
    page = client.voucherlist.list(
        voucher_type=sales_type.voucher_type, voucher_status="any", size=250, **filters
    )
    claimed = set(
        Operation.objects.filter(organization=operation.organization, kind=operation.kind)
        .exclude(pk=operation.pk)
        .exclude(target_id="")
        .values_list("target_id", flat=True)
    )
    for item in page.content:
        row = api_dict(item)
        lexware_id = str(row.get("id") or "")
        if not lexware_id or lexware_id in claimed:
            continue
        if not contact_id and (
            row.get("contactId") or row.get("contactName") != address.get("name")
        ):
            continue
        if total is not None and parse_decimal(row.get("totalAmount")) != total:
            continue
        known_before = Document.objects.filter(
            organization=operation.organization,
            lexware_id=lexware_id,
            synced_at__lt=operation.created_at,
        ).exists()
        if known_before:
            continue
        stored = api_dict(getattr(client, sales_type.resource).get(lexware_id))
        if not same_document(body, stored):
            continue
        return lexware_id
    return None


def _number(value: Any) -> Decimal | None:
    return None if value is None else parse_decimal(value)


def _line_key(item: dict[str, Any]) -> tuple[Any, ...]:
    price = item.get("unitPrice") or {}
    return (
        item.get("type"),
        item.get("name"),
        _number(item.get("quantity")),
        _number(price.get("taxRatePercentage")),
        _number(item.get("discountPercentage") or 0),
    )


def same_document(sent: dict[str, Any], stored: dict[str, Any]) -> bool:
    """Is `stored` (a document read from Lexware) the one made from `sent`? Compared before a
    candidate of the voucherlist is adopted: date, customer, tax type, every line (type, name,
    quantity, tax rate, discount, the unit price as sent, net or gross), the title if one was
    sent."""
    sent_address, stored_address = sent.get("address") or {}, stored.get("address") or {}
    if sent_address.get("contactId"):
        if str(stored_address.get("contactId") or "") != str(sent_address["contactId"]):
            return False
    elif stored_address.get("name") != sent_address.get("name"):
        return False
    if str(stored.get("voucherDate") or "")[:10] != str(sent.get("voucherDate") or "")[:10]:
        return False
    tax_type = (sent.get("taxConditions") or {}).get("taxType")
    if (stored.get("taxConditions") or {}).get("taxType") != tax_type:
        return False
    if sent.get("title") and stored.get("title") != sent["title"]:
        return False  # without one, Lexware fills in the organization's default (§5.1)
    sent_lines, stored_lines = sent.get("lineItems") or [], stored.get("lineItems") or []
    if [_line_key(i) for i in sent_lines] != [_line_key(i) for i in stored_lines]:
        return False
    price_key = "grossAmount" if tax_type == "gross" else "netAmount"
    return all(
        _number((a.get("unitPrice") or {}).get(price_key))
        == _number((b.get("unitPrice") or {}).get(price_key))
        for a, b in zip(sent_lines, stored_lines, strict=True)
    )


def _create(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    sales_type = KINDS[operation.kind]
    resource = getattr(client, sales_type.resource)
    preceding = operation.input.get("preceding")
    result = resource.create(
        operation.input[INPUT_KEY],
        finalize=bool(operation.input.get("finalize")),
        preceding_sales_voucher_id=str(preceding) if preceding else None,
    )
    return {"id": str(result.id)}


def _register(sales_type: SalesType) -> None:
    # One kind per type, each declared here (the registry test greps handlers.py files).
    create: Handler = _create
    reconcile: Reconciler = _reconcile
    write_kind(
        sales_type.kind,
        label=LABELS[sales_type.voucher_type],
        read_back=_read_back,
        reconcile=reconcile,
        result_url=document_page,
        edit_url=editor_url,
    )(create)


for _sales_type in SALES_TYPES.values():
    _register(_sales_type)
