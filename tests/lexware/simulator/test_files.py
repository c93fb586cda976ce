"""Files endpoint (lexware-api.md §5.12), legacy error shape."""

from __future__ import annotations

import httpx
import pytest

from lexware.simulator import Simulator
from lexware.simulator.pdfgen_receipts import receipt_pdf, receipt_png
from tests.lexware.simulator.core_helpers import client_for, issue_keys, new_sim

PDF = receipt_pdf("Beleg", ["Bürobedarf 11,90 EUR"])
PNG = receipt_png()
XML = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'


def _upload(
    api: httpx.Client, name: str, content: bytes, kind: str | None = "voucher"
) -> httpx.Response:
    data = {"type": kind} if kind is not None else {}
    return api.post(
        "/v1/files", files={"file": (name, content, "application/octet-stream")}, data=data
    )


def test_upload_202_creates_blank_voucher_then_unchecked() -> None:
    """§5.12: 202 {id, voucherId}; voucher blank while OCR runs, then unchecked + voucher.created."""
    sim = new_sim(ocr_delay=30)
    client = client_for(sim)
    seen: list[str] = []
    real_emit = sim.emit
    sim.emit = lambda tenant, event, rid: seen.append(event) or real_emit(tenant, event, rid)  # type: ignore[method-assign]
    response = _upload(client, "beleg.pdf", PDF)
    assert response.status_code == 202
    ids = response.json()
    assert set(ids) == {"id", "voucherId"}
    assert client.get(f"/v1/vouchers/{ids['voucherId']}").json()["voucherStatus"] == "blank"
    assert client.get(f"/v1/files/{ids['id']}/status").json()["status"] == "upload_processing"
    assert seen == []
    sim.scheduler.stop()

    fast = new_sim(ocr_delay=0)
    client = client_for(fast)
    ids = _upload(client, "beleg.pdf", PDF).json()
    assert fast.flush_webhooks(5)
    assert client.get(f"/v1/vouchers/{ids['voucherId']}").json()["voucherStatus"] == "unchecked"
    assert client.get(f"/v1/files/{ids['id']}/status").json() == {
        "id": ids["id"],
        "status": "upload_success",
    }


def test_type_voucher_required(api: httpx.Client) -> None:
    """§5.12: missing/invalid type → 400."""
    assert _upload(api, "beleg.pdf", PDF, kind=None).status_code == 400
    assert _upload(api, "beleg.pdf", PDF, kind="invoice").status_code == 400


def test_no_file_is_500(api: httpx.Client) -> None:
    """§5.12: no file → 500 (legacy technical_error)."""
    response = api.post("/v1/files", files={"type": (None, "voucher")})
    assert response.status_code == 500
    assert issue_keys(response) == ["technical_error"]


@pytest.mark.parametrize("name", ["beleg.pdf", "scan.png", "foto.jpg", "foto.jpeg", "rechnung.xml"])
def test_allowed_formats(api: httpx.Client, name: str) -> None:
    """§5.12: pdf, jpg, png, xml allowed."""
    content = {
        "pdf": PDF,
        "png": PNG,
        "jpg": b"\xff\xd8\xff\xe0jpeg",
        "jpeg": b"\xff\xd8\xff\xe1x",
        "xml": XML,
    }
    assert _upload(api, name, content[name.rsplit(".", 1)[1]]).status_code == 202


def test_other_extension_rejected(api: httpx.Client) -> None:
    """§5.12 / §2.4: other types → 406 inacceptable_file_extension; the filename needs an extension."""
    assert issue_keys(_upload(api, "notes.txt", b"hello")) == ["inacceptable_file_extension"]
    assert _upload(api, "beleg", PDF).status_code == 406


def test_unreadable_content_406(api: httpx.Client) -> None:
    """§5.12: unreadable content → 406."""
    assert _upload(api, "beleg.pdf", b"not a pdf at all").status_code == 406


def test_size_limit_5_mb(api: httpx.Client) -> None:
    """§5.12: max 5 MB."""
    big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)
    assert _upload(api, "big.pdf", big).status_code == 406
    assert _upload(api, "ok.pdf", big[: 5 * 1024 * 1024]).status_code == 202


def test_duplicate_checksum_returns_existing_ids(sim: Simulator, api: httpx.Client) -> None:
    """§5.12: same content again → existing file id and voucher id, upload discarded."""
    first = _upload(api, "a.pdf", PDF).json()
    second = _upload(api, "b.pdf", PDF).json()
    assert first == second
    assert len(sim.tenant_for_key("test-key-alpha").vouchers) == 1


def test_upload_needs_multipart_content_type(api: httpx.Client) -> None:
    """§2.3: 415 for a JSON body on the upload route."""
    assert api.post("/v1/files", json={"type": "voucher"}).status_code == 415


@pytest.mark.parametrize(
    ("accept", "status", "media"),
    [
        ("*/*", 200, "application/pdf"),
        ("application/pdf", 200, "application/pdf"),
        ("image/png", 200, "application/pdf"),
        ("application/xml", 404, None),
        ("text/html", 406, None),
    ],
)
def test_download_pdf_accept_table(
    api: httpx.Client, accept: str, status: int, media: str | None
) -> None:
    """§5.12 Accept table, PDF original."""
    file_id = _upload(api, "beleg.pdf", PDF).json()["id"]
    response = api.get(f"/v1/files/{file_id}", headers={"Accept": accept})
    assert response.status_code == status
    if media:
        assert response.headers["Content-Type"] == media
        assert response.content == PDF
        # Appendix B: inline, named after the file id.
        assert response.headers["Content-Disposition"] == f"inline; filename={file_id}.pdf;"


def test_download_png_and_xml_originals(api: httpx.Client) -> None:
    """§5.12: PNG → png for any image/pdf Accept; XML → xml for */* and xml, a PDF view otherwise."""
    png_id = _upload(api, "scan.png", PNG).json()["id"]
    assert api.get(f"/v1/files/{png_id}", headers={"Accept": "application/pdf"}).content == PNG
    xml_id = _upload(api, "e.xml", XML).json()["id"]
    assert api.get(f"/v1/files/{xml_id}", headers={"Accept": "*/*"}).content == XML
    view = api.get(f"/v1/files/{xml_id}", headers={"Accept": "image/jpeg"})
    assert view.headers["Content-Type"] == "application/pdf" and view.content.startswith(b"%PDF")
    assert view.headers["Content-Disposition"] == f"inline; filename={xml_id}.pdf;"


def test_unknown_file_404(api: httpx.Client) -> None:
    assert api.get("/v1/files/3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11").status_code == 404
    assert api.get("/v1/files/3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11/status").status_code == 404
