"""GET endpoints of the sales vouchers: the resource, `/document` (deprecated) and `/file` (§5.3).

Documents are rendered lazily on the first `/document` or `/file` call and cached by
(voucher id, version) as one entry in `tenant.files` (the core's `GET /v1/files/{id}` serves
it): `{"id", "content" (PDF bytes), "filename", "mediaType", "checksum", "voucherId",
"status": "upload_success", "_kind": "document"}` plus `"xmlContent"`/`"xmlFilename"` for
XRechnung documents.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from lexware.simulator.errors import regular
from lexware.simulator.render_pdf import render_pdf
from lexware.simulator.routing import Context, Request, Response, router
from lexware.simulator.sales_kinds import FILENAME_STEMS, KIND_PATHS
from lexware.simulator.state import Tenant, new_id, public
from lexware.simulator.xrechnung import render_xrechnung

E_INVOICE_KINDS = {"invoice", "downpaymentinvoice", "creditnote"}
DOCUMENT_ENDPOINT_KINDS = {
    "invoice",
    "creditnote",
    "quotation",
    "orderconfirmation",
    "deliverynote",
    "dunning",
}


def find_sale(ctx: Context, req: Request, kind: str, voucher_id: str) -> dict[str, Any]:
    voucher = ctx.tenant.sales.get(voucher_id)
    if voucher is None or voucher["_type"] != kind:
        raise regular(404, req, f"Resource with id '{voucher_id}' not found", now=ctx.now())
    return voucher


def _dunned_number(tenant: Tenant, voucher: dict[str, Any]) -> str | None:
    for related in voucher.get("relatedVouchers", []):
        if related.get("voucherType") in {"invoice", "downpaymentinvoice"}:
            return str(related.get("voucherNumber") or "") or None
    return None


def _filename(voucher: dict[str, Any], reference: str | None, extension: str) -> str:
    number = voucher.get("voucherNumber") or reference or voucher["id"][:8]
    return f"{FILENAME_STEMS[voucher['_type']]}_{number}.{extension}"


def _preceding_number(voucher: dict[str, Any]) -> str | None:
    if voucher["_type"] != "creditnote":
        return None
    return next(
        (
            str(r.get("voucherNumber"))
            for r in voucher.get("relatedVouchers", [])
            if r.get("voucherType") == "invoice" and r.get("voucherNumber")
        ),
        None,
    )


def rendered_document(tenant: Tenant, voucher: dict[str, Any]) -> dict[str, Any]:
    """The cached file entry for this voucher version, rendering it on first use."""
    cache = voucher.get("_document") or {}
    entry = tenant.files.get(str(cache.get("fileId")))
    if entry is not None and cache.get("version") == voucher.get("version"):
        return entry
    reference = _dunned_number(tenant, voucher) if voucher["_type"] == "dunning" else None
    content = render_pdf(
        voucher,
        company_name=tenant.company_name,
        profile=tenant.profile,
        reference_number=reference,
    )
    file_id = str(cache.get("fileId") or new_id())
    entry = {
        "id": file_id,
        "content": content,
        "filename": _filename(voucher, reference, "pdf"),
        "mediaType": "application/pdf",
        "checksum": hashlib.sha256(content).hexdigest(),
        "voucherId": voucher["id"],
        "status": "upload_success",
        "_kind": "document",
    }
    if voucher.get("electronicDocumentProfile") == "XRechnung":
        contact = tenant.contacts.get(str((voucher.get("address") or {}).get("contactId")))
        entry["xmlContent"] = render_xrechnung(
            voucher,
            company_name=tenant.company_name,
            profile=tenant.profile,
            contact=contact,
            preceding_number=_preceding_number(voucher),
        )
        entry["xmlFilename"] = _filename(voucher, reference, "xml")
    # The core's /v1/files/{id} reads "renditions" (handlers/files.py).
    entry["renditions"] = {"application/pdf": content}
    if "xmlContent" in entry:
        entry["renditions"]["application/xml"] = entry["xmlContent"]
    with tenant.lock:
        tenant.files[file_id] = entry
        voucher["_document"] = {"fileId": file_id, "version": voucher.get("version")}
    return entry


def _binary(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        200,
        content,
        [
            ("Content-Type", media_type),
            ("Content-Disposition", f'attachment; filename="{filename}"'),
        ],
    )


def _accepted_types(req: Request) -> list[str]:
    header = req.headers.get("accept") or "*/*"
    return [part.split(";")[0].strip().lower() for part in header.split(",") if part.strip()] or [
        "*/*"
    ]


def negotiate(ctx: Context, req: Request, voucher: dict[str, Any]) -> Response:
    """§5.3 Accept table. Appendix A: `application/json` is honoured literally and answered
    with the default representation base64-encoded (the API gateway's binary handling)."""
    kind = voucher["_type"]
    xrechnung = voucher.get("electronicDocumentProfile") == "XRechnung" and kind in E_INVOICE_KINDS
    entry = rendered_document(ctx.tenant, voucher)
    for media in _accepted_types(req):
        if media in {"*/*", "application/*"}:
            if xrechnung:
                return _binary(entry["xmlContent"], "application/xml", entry["xmlFilename"])
            return _binary(entry["content"], "application/pdf", entry["filename"])
        if media == "application/pdf":
            return _binary(entry["content"], "application/pdf", entry["filename"])
        if media in {"application/xml", "text/xml"}:
            if kind not in E_INVOICE_KINDS:
                break  # PDF-only document types: XML is simply not acceptable
            if not xrechnung:
                raise regular(404, req, "No XML document available for this voucher", now=ctx.now())
            return _binary(entry["xmlContent"], "application/xml", entry["xmlFilename"])
        if media == "application/json":
            content = entry["xmlContent"] if xrechnung else entry["content"]
            return Response(200, base64.b64encode(content), [("Content-Type", "application/json")])
    raise regular(
        406, req, "Requested media type is not supported for this document", now=ctx.now()
    )


def _register(kind: str) -> None:
    path = KIND_PATHS[kind]

    def get(ctx: Context, req: Request, id: str) -> Response:
        return Response.json(200, public(find_sale(ctx, req, kind, id)))

    def file(ctx: Context, req: Request, id: str) -> Response:
        voucher = find_sale(ctx, req, kind, id)
        # §5.3 draft → 409, but dunnings are always drafts and §5.3/§5.10 list `/file`
        # (PDF only) for them, as `/document` renders them: a 409 would make it unusable.
        if voucher["voucherStatus"] == "draft" and kind != "dunning":
            raise regular(
                409, req, "Cannot render a document for a voucher in status 'draft'", now=ctx.now()
            )
        return negotiate(ctx, req, voucher)

    def document(ctx: Context, req: Request, id: str) -> Response:
        voucher = find_sale(ctx, req, kind, id)
        # §5.3: drafts → 406, except dunnings, which are always drafts and render anyway.
        if voucher["voucherStatus"] == "draft" and kind != "dunning":
            raise regular(406, req, "Document of a draft voucher cannot be rendered", now=ctx.now())
        entry = rendered_document(ctx.tenant, voucher)
        if voucher["voucherStatus"] != "draft":  # Appendix B: a draft carries no `files` block
            voucher["files"] = {"documentFileId": entry["id"]}
        return Response.json(200, {"documentFileId": entry["id"]})

    for handler, suffix in ((get, ""), (file, "/file"), (document, "/document")):
        if suffix == "/document" and kind not in DOCUMENT_ENDPOINT_KINDS:
            continue
        handler.__name__ = f"{kind}_{suffix.strip('/') or 'get'}"
        router.route("GET", f"/v1/{path}/{{id}}{suffix}", family="regular")(handler)


for _kind in KIND_PATHS:
    _register(_kind)
