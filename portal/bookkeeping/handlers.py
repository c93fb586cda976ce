"""Worker side of bookkeeping voucher writes (DESIGN.md §7, lexware-api.md §5.12, §5.23).

`voucher.upload` sends one `POST /v1/files` with the stored receipt; Lexware answers with the
file id and the id of the voucher it made (status `blank` while its OCR runs). The read-back
makes no call: it starts `voucher.receipt_check`, which reads the voucher once the OCR had
time (or finds that the `voucher.created` webhook's refresh already did): two calls per
upload. An upload whose answer was lost is looked for among the recent unchecked vouchers by
the file's checksum, never sent again.

`voucher.create` is one POST, reconciled by its voucher number through the voucherlist.
`voucher.update` is the read-merge-put of portal/operations/edits.py: the file ids are PUT
back as Lexware holds them. `voucher.attach` is one `POST /v1/vouchers/{id}/files`, reconciled
by looking for a new file of the same checksum on the voucher.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lexware import errors as lx
from portal.bookkeeping.models import Receipt
from portal.bookkeeping.services import (
    ATTACH,
    CHECK,
    CREATE,
    EDIT,
    FETCH,
    UPDATE,
    UPLOAD,
    receipt_check_start,
)
from portal.core.mirror import api_dict
from portal.documents.fetch import fetch_document
from portal.documents.models import BOOKKEEPING_TYPES, Document
from portal.operations.models import Operation
from portal.operations.registry import OperationFailed, operation_kind, write_kind

if TYPE_CHECKING:
    from lexware import LexwareClient

CLOCK_SLACK = timedelta(minutes=2)
# Upload reconciliation reads at most this many candidate vouchers (each costs a GET and the
# download of its files): it is the rare path of a lost answer.
RECONCILE_CANDIDATES = 25


def voucher_page(operation: Operation) -> str | None:
    if not operation.target_id:
        return None
    return reverse(
        "bookkeeping:detail",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )


def voucher_list_page(operation: Operation) -> str:
    return reverse("bookkeeping:list", kwargs={"org_slug": operation.organization.slug})


def voucher_form(operation: Operation) -> str:
    url = reverse("bookkeeping:create", kwargs={"org_slug": operation.organization.slug})
    return f"{url}?{urlencode({'from': operation.code})}"


def voucher_edit_form(operation: Operation) -> str:
    url = reverse(
        "bookkeeping:edit",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )
    return f"{url}?{urlencode({'from': operation.code})}"


def _receipt(operation: Operation) -> Receipt:
    receipt = Receipt.objects.filter(
        organization=operation.organization, pk=operation.input.get("receipt")
    ).first()
    if receipt is None:
        raise OperationFailed(_("The receipt file is no longer stored."))
    return receipt


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _file_name(operation: Operation) -> str | None:
    return str(operation.input.get("filename") or "") or None


# ---------------------------------------------------------------- upload


def upload_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """No call: remember Lexware's ids on the receipt and have the voucher read after OCR."""
    receipt = _receipt(operation)
    result = operation.result or {}
    receipt.voucher_id = result.get("id") or operation.target_id or receipt.voucher_id
    receipt.file_id = result.get("file_id") or receipt.file_id
    receipt.save(update_fields=["voucher_id", "file_id"])
    receipt_check_start(receipt=receipt, round=1)
    return {"id": str(receipt.voucher_id), "file_id": str(receipt.file_id or "")}


def _taken_voucher_ids(operation: Operation) -> set[str]:
    return {
        str(v)
        for v in Receipt.objects.filter(organization=operation.organization)
        .exclude(voucher_id=None)
        .exclude(pk=operation.input.get("receipt"))
        .values_list("voucher_id", flat=True)
    }


def _file_with_checksum(client: LexwareClient, file_ids: list[str], digest: str) -> str | None:
    for file_id in file_ids:
        try:
            downloaded = client.files.download(file_id)
        except lx.NotFoundError:
            continue
        if _digest(downloaded.content) == digest:
            return file_id
    return None


def upload_reconcile(operation: Operation, client: LexwareClient) -> str | None:
    """The voucher an upload made, found by the file's checksum among the blank or unchecked vouchers
    created since the upload began that no other receipt claims."""
    receipt = _receipt(operation)
    began = timezone.localtime(operation.created_at - CLOCK_SLACK).date()
    taken = _taken_voucher_ids(operation)
    rows = client.voucherlist.iter_all(
        voucher_type=list(BOOKKEEPING_TYPES),
        voucher_status=["unchecked", "blank"],  # blank: OCR still running (§5.22 observed)
        created_date_from=began,
    )
    looked = 0
    for row in rows:
        voucher_id = str(row.id)
        if voucher_id in taken:
            continue
        looked += 1
        if looked > RECONCILE_CANDIDATES:
            break
        files = [str(f) for f in (client.vouchers.get_raw(voucher_id).get("files") or [])]
        file_id = _file_with_checksum(client, files, receipt.sha256)
        if file_id is not None:
            receipt.voucher_id, receipt.file_id = voucher_id, file_id
            receipt.save(update_fields=["voucher_id", "file_id"])
            return voucher_id
    return None


@write_kind(
    UPLOAD,
    label=_("Upload receipt"),
    read_back=upload_read_back,
    reconcile=upload_reconcile,
    result_url=voucher_list_page,
)
def upload_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    receipt = _receipt(operation)
    try:
        result = client.files.upload(bytes(receipt.content), receipt.filename)
    except lx.InvalidRequestError as exc:  # refused before sending (name, size)
        raise OperationFailed(str(exc)) from exc
    if not result.voucher_id:
        raise OperationFailed(_("Lexware accepted the file but named no voucher for it."))
    return {"id": str(result.voucher_id), "file_id": str(result.id)}


@operation_kind(CHECK, label=_("Read the receipt's voucher"), result_url=voucher_page)
def receipt_check_run(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """Read the uploaded voucher into the mirror once OCR is done. Nothing to do when the
    webhook's refresh got there first; still `blank` → look again later (not stored: §5.23
    says to ignore blank vouchers)."""
    receipt = _receipt(operation)
    voucher_id = str(receipt.voucher_id or operation.target_id)
    known = Document.objects.filter(
        organization=operation.organization, lexware_id=voucher_id
    ).first()
    if known is not None and known.has_details and known.status not in ("", "blank"):
        return {"id": voucher_id, "already": True}
    try:
        data = client.vouchers.get_raw(voucher_id)
    except lx.NotFoundError:
        return {"id": voucher_id, "gone": True}
    if data.get("voucherStatus") == "blank":
        receipt_check_start(receipt=receipt, round=int(operation.input.get("round", 1)) + 1)
        return {"id": voucher_id, "blank": True}
    EDIT.upsert(operation.organization, data)
    return {"id": voucher_id, "status": data.get("voucherStatus")}


# ---------------------------------------------------------------- create


def create_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    fetch_document(
        client=client,
        organization=operation.organization,
        voucher_type=str(operation.input["voucher"].get("type") or "voucher"),
        lexware_id=operation.target_id,
    )
    return {"id": operation.target_id}


def create_reconcile(operation: Operation, client: LexwareClient) -> str | None:
    """By voucher number and type through the voucherlist (§5.22), created since the operation
    began, not known to the mirror before nor claimed by another create."""
    sent = operation.input["voucher"]
    number = sent.get("voucherNumber")
    if not number:
        return None
    began = timezone.localtime(operation.created_at - CLOCK_SLACK).date()
    page = client.voucherlist.list(
        voucher_type=[sent.get("type") or "purchaseinvoice"],
        voucher_status=["open", "unchecked"],
        voucher_number=number,
        created_date_from=began,
        size=25,
    )
    for row in page.content:
        data = api_dict(row)
        lexware_id = str(data.get("id"))
        if data.get("voucherNumber") != number:
            continue
        known_before = Document.objects.filter(
            organization=operation.organization,
            lexware_id=lexware_id,
            synced_at__lt=operation.created_at,
        ).exists()
        taken = (
            Operation.objects.filter(
                organization=operation.organization, kind=CREATE, target_id=lexware_id
            )
            .exclude(pk=operation.pk)
            .exists()
        )
        if not known_before and not taken:
            return lexware_id
    return None


@write_kind(
    CREATE,
    label=_("Create bookkeeping voucher"),
    read_back=create_read_back,
    reconcile=create_reconcile,
    result_url=voucher_page,
    edit_url=voucher_form,
)
def create_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    result = client.vouchers.create(operation.input["voucher"])
    return {"id": str(result.id)}


@write_kind(
    UPDATE,
    label=_("Change bookkeeping voucher"),
    read_back=EDIT.read_back,
    reconcile=EDIT.reconcile,
    result_url=voucher_page,
    edit_url=voucher_edit_form,
)
def update_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """At most one PUT after a GET; the PUT carries every file id the GET returned."""
    return EDIT.write(operation, client)


# ---------------------------------------------------------------- attach


def attach_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    receipt = _receipt(operation)
    file_id = (operation.result or {}).get("file_id") or receipt.file_id
    if file_id and str(receipt.file_id or "") != str(file_id):
        receipt.file_id = file_id
        receipt.save(update_fields=["file_id"])
    data = client.vouchers.get_raw(operation.input["voucher_id"])
    EDIT.upsert(operation.organization, data)
    return {"id": operation.input["voucher_id"], "file_id": str(file_id or "")}


def attach_reconcile(operation: Operation, client: LexwareClient) -> str | None:
    """A new file on the voucher (not there when the attach was started) with our checksum."""
    receipt = _receipt(operation)
    voucher_id = operation.input["voucher_id"]
    known = set(operation.input.get("known_files") or [])
    files = [str(f) for f in (client.vouchers.get_raw(voucher_id).get("files") or [])]
    found = _file_with_checksum(client, [f for f in files if f not in known], receipt.sha256)
    if found is None:
        return None
    receipt.file_id = found
    receipt.save(update_fields=["file_id"])
    return str(voucher_id)


@write_kind(
    ATTACH,
    label=_("Attach a file to a voucher"),
    read_back=attach_read_back,
    reconcile=attach_reconcile,
    result_url=voucher_page,
)
def attach_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    receipt = _receipt(operation)
    try:
        result = client.vouchers.attach_file(
            operation.input["voucher_id"], bytes(receipt.content), receipt.filename
        )
    except lx.InvalidRequestError as exc:
        raise OperationFailed(str(exc)) from exc
    return {"id": operation.input["voucher_id"], "file_id": str(result.id)}


# ---------------------------------------------------------------- fetch


@operation_kind(FETCH, label=_("Fetch a receipt file"), result_url=voucher_page)
def file_fetch_run(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """Download one file of a voucher (§5.12, `*/*`: the original) to show it here."""
    voucher_id, file_id = operation.input["voucher_id"], operation.input["file_id"]
    if Receipt.objects.filter(organization=operation.organization, file_id=file_id).exists():
        return {"id": voucher_id, "already": True}
    downloaded = client.files.download(file_id)
    content = downloaded.content
    Receipt.objects.create(
        organization=operation.organization,
        source=Receipt.Source.LEXWARE,
        sha256=_digest(content),
        filename=(downloaded.filename or f"{file_id}")[:200],
        media_type=downloaded.media_type or "application/octet-stream",
        size=len(content),
        content=content,
        file_id=file_id,
        voucher_id=voucher_id,
    )
    return {"id": voucher_id, "file_id": file_id}
