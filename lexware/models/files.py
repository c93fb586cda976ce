"""Files endpoint results (lexware-api.md §5.12) and downloaded documents (§5.3)."""

from __future__ import annotations

from dataclasses import dataclass

from .common import LexwareModel
from .enums import FileStatusValue, Tolerant

__all__ = ["DownloadedFile", "FileStatus", "FileUploadResult"]


class FileUploadResult(LexwareModel):
    """202 answer of `POST /v1/files`; `voucherId` (since 03.03.2025) is the bookkeeping voucher
    created for the upload. Attaching to a voucher answers `{id}` only."""

    id: str
    voucher_id: str | None = None


class FileStatus(LexwareModel):
    """`GET /v1/files/{id}/status`; the success answer also echoes `id`."""

    status: Tolerant[FileStatusValue]
    id: str | None = None


@dataclass(frozen=True, slots=True)
class DownloadedFile:
    """A binary download (`/file`, `/v1/files/{id}`): the bytes plus what the response headers
    said about them (`Content-Disposition` filename, `Content-Type` without parameters)."""

    content: bytes
    filename: str
    media_type: str
