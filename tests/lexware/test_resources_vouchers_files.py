"""client.vouchers and client.files (§5.12, §5.23)."""

from __future__ import annotations

import io

import httpx
import pytest

from lexware import errors
from lexware.models import FileStatus
from tests.lexware.mock_lexware import ACTION, ID, ID2, Recorder, json_response, make_client

FILE_A, FILE_B = "aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002"
VOUCHER = {
    "type": "salesinvoice",
    "voucherNumber": "SHOP-2026-0042",
    "voucherDate": "2026-03-02",
    "totalGrossAmount": 119.00,
    "totalTaxAmount": 19.00,
    "taxType": "gross",
    "useCollectiveContact": True,
    "voucherItems": [
        {
            "amount": 119.00,
            "taxAmount": 19.00,
            "taxRatePercent": 19,
            "categoryId": "8f8664a8-fd86-11e1-a21f-0800200c9a66",
        }
    ],
}


def test_voucher_create_get() -> None:
    recorder = Recorder([json_response(201, ACTION), json_response(200, {**VOUCHER, "id": ID})])
    client = make_client(recorder)
    client.vouchers.create({**VOUCHER, "version": 0})
    assert (recorder.last.method, recorder.last.path) == ("POST", "/v1/vouchers")
    assert recorder.last.json() == VOUCHER  # version omitted on voucher POST (§3)
    assert client.vouchers.get(ID).voucher_number == "SHOP-2026-0042"
    assert recorder.last.path == f"/v1/vouchers/{ID}"


def test_voucher_update_keeps_files() -> None:
    current = {
        **VOUCHER,
        "id": ID,
        "version": 3,
        "files": [FILE_A],
        "remark": "alt",
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "dueDate": "2026-03-16T00:00:00.000+01:00",
    }
    recorder = Recorder([json_response(200, current), json_response(200, ACTION)] * 2)
    client = make_client(recorder)
    client.vouchers.update(ID, {"remark": "neu"})
    body = recorder.last.json()
    assert (recorder.last.method, recorder.last.path) == ("PUT", f"/v1/vouchers/{ID}")
    assert body["files"] == [FILE_A] and body["remark"] == "neu" and body["version"] == 3
    assert body["voucherItems"] == VOUCHER["voucherItems"]
    # §5.23: returned as timestamps, sent as plain dates.
    assert (body["voucherDate"], body["dueDate"]) == ("2026-03-02", "2026-03-16")
    client.vouchers.update(ID, {"files": [FILE_B]})
    assert recorder.last.json()["files"] == [FILE_A, FILE_B]  # added, never silently removed


def test_voucher_update_may_remove_files_only_when_asked() -> None:
    current = {**VOUCHER, "id": ID, "version": 3, "files": [FILE_A, FILE_B]}
    recorder = Recorder([json_response(200, current), json_response(200, ACTION)])
    make_client(recorder).vouchers.update(ID, {"files": [FILE_B]}, remove_files=True)
    assert recorder.last.json()["files"] == [FILE_B]


def test_voucher_find_by_number_encodes_the_number() -> None:
    recorder = Recorder([json_response(200, {"content": [{**VOUCHER, "id": ID}], "last": True})])
    result = make_client(recorder).vouchers.find_by_number("A&B 1")
    assert recorder.last.path == "/v1/vouchers"
    assert "voucherNumber=A%26amp%3BB%201" in recorder.last.raw_query
    assert result.content[0].id == ID


def test_voucher_attach_file_is_multipart() -> None:
    recorder = Recorder([json_response(202, {"id": FILE_A})])
    result = make_client(recorder).vouchers.attach_file(ID, b"%PDF-1.4", "beleg.pdf")
    sent = recorder.last
    assert (sent.method, sent.path) == ("POST", f"/v1/vouchers/{ID}/files")
    assert sent.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="beleg.pdf"' in sent.content
    assert b"Content-Type: application/pdf" in sent.content
    assert result.id == FILE_A


def test_file_upload_sends_file_and_type_parts() -> None:
    recorder = Recorder([json_response(202, {"id": FILE_A, "voucherId": ID})])
    result = make_client(recorder).files.upload(io.BytesIO(b"\x89PNG..."), "scan.PNG")
    sent = recorder.last
    assert (sent.method, sent.path) == ("POST", "/v1/files")
    assert b'name="type"\r\n\r\nvoucher' in sent.content
    assert b'filename="scan.PNG"' in sent.content and b"Content-Type: image/png" in sent.content
    assert (result.id, result.voucher_id) == (FILE_A, ID)


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"x" * (5 * 1024 * 1024 + 1), "big.pdf"),
        (b"x", "noextension"),
        (b"x", "evil.exe"),
        (b"x", ".pdf"),
        (b"", "empty.pdf"),
    ],
)
def test_file_upload_checks_size_and_type_before_sending(content: bytes, filename: str) -> None:
    recorder = Recorder([json_response(202, {"id": FILE_A})])
    with pytest.raises(errors.InvalidRequestError):
        make_client(recorder).files.upload(content, filename)
    assert recorder.sent == []


def test_file_upload_accepts_exactly_5_mb_and_every_allowed_type() -> None:
    recorder = Recorder([json_response(202, {"id": FILE_A})])
    files = make_client(recorder).files
    files.upload(b"x" * (5 * 1024 * 1024), "max.pdf")
    for name in ("a.jpg", "a.jpeg", "a.png", "a.xml"):
        files.upload(b"x", name)
    assert len(recorder.sent) == 5


@pytest.mark.parametrize(
    ("accept", "header"),
    [
        ("*/*", "*/*"),
        ("pdf", "application/pdf"),
        ("xml", "application/xml"),
        ("png", "image/png"),
        ("jpeg", "image/jpeg"),
    ],
)
def test_file_download_accept_header(accept: str, header: str) -> None:
    response = httpx.Response(
        200,
        headers={
            "Content-Type": "image/png",
            "Content-Disposition": "attachment; filename=scan.png",
        },
        content=b"\x89PNG",
    )
    recorder = Recorder([response])
    downloaded = make_client(recorder).files.download(ID, accept=accept)
    assert (recorder.last.path, recorder.last.headers["Accept"]) == (f"/v1/files/{ID}", header)
    assert (downloaded.filename, downloaded.media_type) == ("scan.png", "image/png")


def test_file_status() -> None:
    recorder = Recorder([json_response(200, {"id": ID2, "status": "upload_success"})])
    status = make_client(recorder).files.status(ID2)
    assert isinstance(status, FileStatus) and status.status == "upload_success"
    assert recorder.last.path == f"/v1/files/{ID2}/status"


def test_voucher_put_raw_sends_dates_as_days_and_refuses_a_body_without_files() -> None:
    """The portal's read-merge-put (get_raw → merge → put_raw) must carry `files`: a PUT
    without them would delete every file for good (§5.23)."""
    current = {
        **VOUCHER,
        "id": ID,
        "version": 3,
        "files": [FILE_A, FILE_B],
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
    }
    recorder = Recorder([json_response(200, current), json_response(200, ACTION)])
    client = make_client(recorder)
    body = client.vouchers.get_raw(ID)
    client.vouchers.put_raw(ID, {**body, "remark": "neu"})
    sent = recorder.last.json()
    assert (recorder.last.method, recorder.last.path) == ("PUT", f"/v1/vouchers/{ID}")
    assert sent["files"] == [FILE_A, FILE_B] and sent["voucherDate"] == "2026-03-02"
    without = {key: value for key, value in body.items() if key != "files"}
    with pytest.raises(errors.InvalidRequestError):
        client.vouchers.put_raw(ID, without)
    assert len(recorder.sent) == 2  # nothing sent for the refused body


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n...", "pdf"),
        (b"\xef\xbb\xbf  %PDF-1.4", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b'<?xml version="1.0"?><Invoice/>', "xml"),
        (b"<rsm:CrossIndustryInvoice/>", "xml"),
        (b"PK\x03\x04 zip", None),
        (b"MZ\x90\x00", None),
        (b"GIF89a", None),
        (b"< not a tag", None),
        (b"", None),
    ],
)
def test_upload_type_is_told_by_content(content: bytes, expected: str | None) -> None:
    from lexware.resources.files import sniff_extension

    assert sniff_extension(content) == expected
