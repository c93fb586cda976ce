"""Worker side of the document pages: the on-demand fetch of one document's details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.documents.fetch import refresh_document
from portal.documents.models import BOOKKEEPING_TYPES, SALES_TYPES
from portal.documents.services import FETCH
from portal.operations.models import Operation
from portal.operations.registry import operation_kind

if TYPE_CHECKING:
    from lexware import LexwareClient


def document_page(operation: Operation) -> str | None:
    """The page of the document an operation made or refreshed (sales document or voucher)."""
    voucher_type = operation.target_type or str(operation.input.get("voucher_type") or "")
    if not operation.target_id:
        return None
    if voucher_type in SALES_TYPES:
        name = "documents:detail"
    elif voucher_type in (*BOOKKEEPING_TYPES, "voucher"):
        name = "bookkeeping:detail"
    else:
        return None
    return reverse(
        name, kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id}
    )


@operation_kind(FETCH, label=_("Load document details"), result_url=document_page)
def document_fetch_operation(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    outcome = refresh_document(
        client=client,
        organization=operation.organization,
        lexware_id=operation.input["id"],
        voucher_type=operation.input["voucher_type"],
    )
    return {"outcome": outcome}
