"""Reads of bookkeeping vouchers (lexware-api.md §5.23): the document mirror restricted to
BOOKKEEPING_TYPES, with the same filters as the sales documents. Never calls Lexware."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Page

from portal.documents.models import BOOKKEEPING_TYPES, Document
from portal.documents.selectors import DEFAULT_SORT, PAGE_SIZE, document_detail, document_list
from portal.organizations.models import Organization
from portal.reference.models import ReferenceItem


def voucher_list(
    *,
    organization: Organization,
    types: tuple[str, ...] | list[str] = BOOKKEEPING_TYPES,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    contact: Any = None,
    query: str = "",
    sort: str = DEFAULT_SORT,
    page: int | None = 1,
    page_size: int = PAGE_SIZE,
) -> Page[Any]:
    # Never more than the bookkeeping types, whatever the caller passes.
    allowed = [voucher_type for voucher_type in types if voucher_type in BOOKKEEPING_TYPES] or list(
        BOOKKEEPING_TYPES
    )
    return document_list(
        organization=organization,
        types=allowed,
        status=status,
        date_from=date_from,
        date_to=date_to,
        contact=contact,
        query=query,
        sort=sort,
        page=page,
        page_size=page_size,
    )


def voucher_detail(*, organization: Organization, lexware_id: Any) -> Document:
    return document_detail(
        organization=organization, lexware_id=lexware_id, types=BOOKKEEPING_TYPES
    )


def voucher_items(*, organization: Organization, voucher: Document) -> list[dict[str, Any]]:
    """`voucherItems` of the details, each with the posting category's name (§5.17)."""
    items = [
        dict(item)
        for item in (voucher.raw or {}).get("voucherItems") or []
        if isinstance(item, dict)
    ]
    names = dict(
        ReferenceItem.objects.filter(
            organization=organization,
            kind=ReferenceItem.Kind.POSTING_CATEGORY,
            key__in=[str(item.get("categoryId")) for item in items if item.get("categoryId")],
        ).values_list("key", "name")
    )
    for item in items:
        item["category_name"] = names.get(str(item.get("categoryId") or ""), "")
    return items


# ---------------------------------------------------------------- receipts

RECENT_RECEIPTS = 30


def _receipt_state(receipt: Any, documents: dict[str, Document]) -> tuple[str, bool]:
    """(state, still moving) of one dropped file, for its row on the vouchers page."""
    operation = receipt.operation
    if receipt.voucher_id is None:
        if operation is None or operation.state == "failed":
            return "failed", False
        if operation.state == "unknown":
            return "checking", True
        return ("uploading" if operation.state == "running" else "queued"), True
    document = documents.get(str(receipt.voucher_id))
    if document is None or document.status in ("", "blank"):
        return "ocr", True
    if document.status == "unchecked":
        return "unchecked", False
    return "recorded", False


def receipt_rows(*, organization: Organization, receipts: list[Any]) -> list[dict[str, Any]]:
    ids = [r.voucher_id for r in receipts if r.voucher_id]
    documents = {
        str(d.lexware_id): d
        for d in Document.objects.filter(organization=organization, lexware_id__in=ids)
    }
    rows = []
    for receipt in receipts:
        state, moving = _receipt_state(receipt, documents)
        rows.append(
            {
                "receipt": receipt,
                "operation": receipt.operation,
                "state": state,
                "moving": moving,
                "document": documents.get(str(receipt.voucher_id or "")),
            }
        )
    return rows


def recent_receipts(*, organization: Organization) -> list[dict[str, Any]]:
    from portal.bookkeeping.models import Receipt

    receipts = list(
        Receipt.objects.filter(organization=organization, source=Receipt.Source.UPLOAD)
        .select_related("operation")
        .defer("content")
        .order_by("-created_at", "-pk")[:RECENT_RECEIPTS]
    )
    return receipt_rows(organization=organization, receipts=receipts)


def voucher_files(*, organization: Organization, voucher: Document) -> list[dict[str, Any]]:
    """The voucher's file ids with the stored copy where the portal has one, and the files
    being attached that Lexware has not confirmed yet."""
    from portal.bookkeeping.models import Receipt
    from portal.operations.models import Operation

    file_ids = [str(f) for f in (voucher.raw or {}).get("files") or []]
    stored = {
        str(r.file_id): r
        for r in Receipt.objects.filter(organization=organization, file_id__in=file_ids)
        .defer("content")
        .order_by("pk")
    }
    fetching = set(
        Operation.objects.filter(
            organization=organization,
            kind="voucher.file_fetch",
            target_id__in=file_ids,
            state__in=("pending", "running"),
        ).values_list("target_id", flat=True)
    )
    rows: list[dict[str, Any]] = [
        {"file_id": f, "receipt": stored.get(f), "fetching": f in fetching} for f in file_ids
    ]
    pending = (
        Receipt.objects.filter(
            organization=organization, source=Receipt.Source.ATTACH, voucher_id=voucher.lexware_id
        )
        .exclude(file_id__in=file_ids)
        .select_related("operation")
        .defer("content")
    )
    for receipt in pending:
        rows.append({"file_id": None, "receipt": receipt, "attaching": receipt.operation})
    return rows


def preview_receipt(*, organization: Organization, voucher: Document) -> Any:
    """The first stored file of the voucher that a browser can show (PDF or image)."""
    for row in voucher_files(organization=organization, voucher=voucher):
        receipt = row.get("receipt")
        if receipt is not None and row.get("file_id") and (receipt.is_pdf or receipt.is_image):
            return receipt
    return None
