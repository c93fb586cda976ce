"""``client.files`` (§5.12): upload (multipart), download (Accept negotiation), status."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import IO, Any

from lexware.errors import InvalidRequestError
from lexware.models import DownloadedFile, FileStatus, FileUploadResult
from lexware.resources._base import Resource, require_id

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_MEDIA_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xml": "application/xml",
}
UPLOAD_TYPES = ("voucher",)


def prepare_upload(content: bytes | IO[bytes], filename: str) -> dict[str, Any]:
    """The multipart ``file`` part, checked before sending: a bare filename with one of the
    accepted extensions (Lexware derives the type from it) and at most 5 MB."""
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_MEDIA_TYPES or not name.rsplit(".", 1)[0]:
        raise InvalidRequestError(
            f"file name needs one of the extensions {sorted(UPLOAD_MEDIA_TYPES)}, got {filename!r}"
        )
    data = content if isinstance(content, bytes) else content.read(MAX_UPLOAD_BYTES + 1)
    if not isinstance(data, bytes):
        raise InvalidRequestError("file content must be bytes")
    if not data:
        raise InvalidRequestError("the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidRequestError("the file is larger than Lexware's 5 MB upload limit")
    # The boundary is left to httpx (hand-set multipart headers break uploads, §9).
    return {"file": (name, data, UPLOAD_MEDIA_TYPES[extension])}


class Files(Resource):
    name = "files"
    path = "/v1/files"

    def upload(
        self, content: bytes | IO[bytes], filename: str, *, type: str = "voucher"
    ) -> FileUploadResult:
        """``POST /v1/files`` → 202 ``{id, voucherId}``; a voucher in status ``blank`` is created
        and OCR runs. The same content again returns the existing ids (checksum dedupe)."""
        if type not in UPLOAD_TYPES:
            raise InvalidRequestError(f"type must be one of {UPLOAD_TYPES}")
        files = prepare_upload(content, filename)
        raw = self._request("POST", self.path, files=files, data={"type": type})
        return FileUploadResult.model_validate(raw.json())

    def download(self, file_id: str, *, accept: str = "*/*") -> DownloadedFile:
        """``GET /v1/files/{id}``; ``accept`` is "*/*", "pdf", "xml", "png" or "jpeg" (§5.12)."""
        file_id = require_id(file_id, "file_id")
        return self._download(f"{self.path}/{file_id}", accept, f"file-{file_id}")

    def status(self, file_id: str) -> FileStatus:
        """``GET /v1/files/{id}/status`` → upload_processing | upload_success | upload_failed."""
        return self._get_model(FileStatus, f"{self.path}/{require_id(file_id, 'file_id')}/status")


def sniff_extension(content: bytes) -> str | None:
    """The upload type by content, not by name (§5.12 allows pdf, jpg, png, xml): the file's
    magic bytes, or for XML its first tag. None when it is none of them."""
    if content.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"<?xml") or (head.startswith(b"<") and head[1:2].isalpha()):
        return "xml"
    return None
