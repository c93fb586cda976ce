"""Files (lexware-api.md §5.12; legacy error shape): upload, download with Accept negotiation,
upload status. An upload creates a bookkeeping voucher in status `blank` that turns
`unchecked` after the simulated OCR delay, firing `voucher.created` (§5.12, §5.23).

File records in `tenant.files`: {"id", "content": bytes, "filename", "mediaType", "checksum",
"voucherId", "status"}. Sales documents rendered by the sales handlers may instead carry
"renditions": {"application/pdf": bytes, "application/xml": bytes} (see README).
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import io
import json
import os
from typing import Any
from xml.etree import ElementTree

from lexware.simulator.bodies import not_found
from lexware.simulator.errors import SimError, legacy
from lexware.simulator.pdfgen_receipts import receipt_pdf
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.state import Tenant, new_id
from lexware.simulator.timefmt import format_datetime

FAMILY = "legacy"
MAX_BYTES = 5 * 1024 * 1024
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xml": "application/xml",
}
ACCEPTABLE = ("*/*", "application/xml", "application/pdf", "image/jpeg", "image/png")


def _issue(status: int, key: str, source: str | None, kind: str = "validation_failure") -> SimError:
    return legacy(status, [{"i18nKey": key, "source": source, "type": kind}])


def parse_multipart(req: Request) -> dict[str, tuple[str | None, bytes]]:
    """{part name: (filename, content)} of a multipart/form-data body."""
    header = req.headers.get("content-type", "")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + header.encode("latin-1") + b"\r\n\r\n" + req.body
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    if not message.is_multipart():
        return parts
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        filename = part.get_filename()
        parts[name] = (filename, payload if isinstance(payload, bytes) else b"")
    return parts


def _content_matches(extension: str, content: bytes) -> bool:
    head = content[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if extension == "pdf":
        return head.startswith(b"%PDF")
    if extension == "png":
        return head.startswith(b"\x89PNG")
    if extension in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    return head.startswith(b"<")


# Root elements of the e-invoice syntaxes Lexware takes as XRechnung: UBL 2.1 Invoice/CreditNote
# and UN/CEFACT CII (the syntax XRechnung-CII and ZUGFeRD/Factur-X use).
E_INVOICE_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
    "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice",
}


def is_e_invoice(content: bytes) -> bool:
    """Appendix B: an `.xml` upload must be an e-invoice (root element of UBL or CII)."""
    try:
        for _, element in ElementTree.iterparse(io.BytesIO(content), events=("start",)):
            return element.tag in E_INVOICE_ROOTS
    except ElementTree.ParseError:
        return False
    return False


def checked_upload(ctx: Context, req: Request) -> tuple[str, bytes, str]:
    """(filename, content, extension) of the `file` part after the §5.12 checks."""
    parts = parse_multipart(req)
    if "file" not in parts or not parts["file"][1]:
        raise _issue(500, "technical_error", "file", "technical_error")
    filename, content = parts["file"]
    filename = os.path.basename(filename or "")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if len(content) > MAX_BYTES:  # Appendix B: 5,242,880 bytes accepted, one more refused
        raise _issue(406, "max_file_size_exceeded", "file")
    if extension not in MEDIA_TYPES:
        raise _issue(406, "inacceptable_file_extension", "file")
    if extension == "xml" and not ctx.tenant.profile.get("_eInvoiceUploads", True):
        raise _issue(406, "inacceptable_file_extension", "file")
    if not _content_matches(extension, content):
        raise _issue(406, "invalid_file_content", "file")
    if extension == "xml" and not is_e_invoice(content):
        raise _issue(406, "invalid_xrechnung", "file")
    return filename, content, extension


def store_file(
    tenant: Tenant, filename: str, content: bytes, extension: str, voucher_id: str | None
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": new_id(),
        "content": content,
        "filename": filename,
        "mediaType": MEDIA_TYPES[extension],
        "checksum": hashlib.sha256(content).hexdigest(),
        "voucherId": voucher_id,
        "status": "upload_success",
    }
    tenant.files[record["id"]] = record
    return record


def _finish_ocr(ctx: Context, voucher_id: str, file_id: str) -> None:
    tenant = ctx.tenant
    with tenant.lock:
        voucher = tenant.vouchers.get(voucher_id)
        if voucher is None or voucher.get("voucherStatus") != "blank":
            return
        voucher["voucherStatus"] = "unchecked"
        voucher["updatedDate"] = format_datetime(ctx.sim.now())
        if file_id in tenant.files:
            tenant.files[file_id]["status"] = "upload_success"
    ctx.sim.emit(tenant, "voucher.created", voucher_id)


@router.route("POST", "/v1/files", family=FAMILY, accepts="multipart/form-data")
def file_upload(ctx: Context, req: Request) -> Response:
    parts = parse_multipart(req)
    upload_type = parts.get("type", (None, b""))[1].decode("utf-8", "replace").strip()
    if upload_type != "voucher":
        # §5.12: 400 in the legacy shape; Appendix B measured the text "Invalid or missing upload
        # type." (`type=receipt`), carried as a top-level `message` next to the IssueList.
        error = _issue(400, "bad_request_error", "type", "bad_request_error")
        body = json.loads(error.response.body)
        body["message"] = "Invalid or missing upload type."
        error.response.body = json.dumps(body).encode()
        raise error
    filename, content, extension = checked_upload(ctx, req)
    checksum = hashlib.sha256(content).hexdigest()
    for existing in ctx.tenant.files.values():
        if existing.get("checksum") == checksum and existing.get("_upload"):
            return Response.json(202, {"id": existing["id"], "voucherId": existing["voucherId"]})
    voucher_id = new_id()
    record = store_file(ctx.tenant, filename, content, extension, voucher_id)
    record["status"] = "upload_processing"
    record["_upload"] = True
    now = format_datetime(ctx.now())
    ctx.tenant.vouchers[voucher_id] = {
        "id": voucher_id,
        "organizationId": ctx.tenant.organization_id,
        "type": "purchaseinvoice",
        "voucherStatus": "blank",
        "voucherNumber": None,
        "voucherDate": None,
        "shippingDate": None,
        "dueDate": None,
        "totalGrossAmount": None,
        "totalTaxAmount": None,
        "taxType": "gross",
        "useCollectiveContact": False,
        "contactId": None,
        "contactName": None,
        "remark": None,
        "voucherItems": [],
        "files": [record["id"]],
        "createdDate": now,
        "updatedDate": now,
        "version": 1,
    }
    ctx.sim.scheduler.call_later(
        ctx.sim.ocr_delay, lambda: _finish_ocr(ctx, voucher_id, record["id"])
    )
    return Response.json(202, {"id": record["id"], "voucherId": voucher_id})


def _accepted_types(req: Request) -> list[str]:
    header = req.headers.get("accept") or "*/*"
    return [part.split(";")[0].strip().lower() for part in header.split(",") if part.strip()]


def _representation(record: dict[str, Any], wanted: str) -> tuple[bytes, str] | None | str:
    """(content, media type) for one Accept type; None → 404; "unsupported" → 406."""
    if wanted in ("application/*", "image/*"):
        wanted = "*/*"
    if wanted not in ACCEPTABLE:
        return "unsupported"
    renditions: dict[str, bytes] | None = record.get("renditions")
    if renditions is not None:  # a sales document (deprecated route, §5.12 last paragraph)
        if wanted == "application/xml":
            xml = renditions.get("application/xml")
            return (xml, "application/xml") if xml is not None else None
        if wanted in ("*/*", "application/pdf"):
            return renditions["application/pdf"], "application/pdf"
        return "unsupported"
    original: str = record["mediaType"]
    if wanted == "*/*":
        return record["content"], original
    if original == "application/xml":
        if wanted == "application/xml":
            return record["content"], original
        if "_pdfView" not in record:
            record["_pdfView"] = receipt_pdf("E-Rechnung (Ansicht)", [record["filename"]])
        return record["_pdfView"], "application/pdf"
    if wanted == "application/xml":
        return None
    return record["content"], original


EXTENSIONS = {
    "application/pdf": "pdf",
    "application/xml": "xml",
    "image/png": "png",
    "image/jpeg": "jpg",
}


@router.route("GET", "/v1/files/{id}", family=FAMILY)
def file_download(ctx: Context, req: Request, id: str) -> Response:
    record = ctx.tenant.files.get(id)
    if record is None:
        raise not_found(ctx, req, FAMILY)
    outcome: tuple[bytes, str] | None | str = "unsupported"
    for wanted in _accepted_types(req):
        outcome = _representation(record, wanted)
        if outcome != "unsupported":
            break
    if outcome is None:
        raise not_found(ctx, req, FAMILY)
    if isinstance(outcome, str):
        raise _issue(406, "not_acceptable", "Accept")
    content, media_type = outcome
    # Appendix B: `Content-Disposition: inline; filename={id}.{ext};` (the file id, not the
    # uploaded name; unquoted, with a trailing semicolon). The sales `/file` routes keep their
    # real names (Appendix A, `Rechnung_RE0001.pdf`).
    disposition = f"inline; filename={id}.{EXTENSIONS[media_type]};"
    return Response(
        200, content, [("Content-Type", media_type), ("Content-Disposition", disposition)]
    )


@router.route("GET", "/v1/files/{id}/status", family=FAMILY)
def file_status(ctx: Context, req: Request, id: str) -> Response:
    record = ctx.tenant.files.get(id)
    if record is None:
        raise not_found(ctx, req, FAMILY)
    return Response.json(200, {"id": id, "status": record.get("status", "upload_success")})
