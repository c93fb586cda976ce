"""``client.vouchers`` (§5.23): bookkeeping vouchers – create, get, update (read-merge-put that
keeps ``files``), find by number (deprecated search) and attach a file."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import IO, Any

from lexware._http import ParamValue
from lexware.encoding import html_escape_search
from lexware.errors import InvalidRequestError
from lexware.models import ActionResult, FileUploadResult, Page, Voucher
from lexware.pagination import check_page_args
from lexware.resources._base import Body, RawRecords, deep_merge, require_id, to_body
from lexware.resources.files import prepare_upload

# §5.23: these are sent as yyyy-MM-dd but come back as full timestamps; a GET → PUT round
# trip must turn them back into plain dates or Lexware answers 406.
_DATE_FIELDS = ("voucherDate", "shippingDate", "dueDate")


def _as_plain_dates(body: dict[str, Any]) -> dict[str, Any]:
    for field in _DATE_FIELDS:
        value = body.get(field)
        if isinstance(value, str) and len(value) > 10 and value[10] == "T":
            body[field] = value[:10]  # the calendar day as Lexware printed it (local time)
    return body


class Vouchers(RawRecords):
    name = "vouchers"
    path = "/v1/vouchers"

    def create(self, voucher: Body) -> ActionResult:
        """§3: ``version`` is best omitted on voucher POST (the docs contradict themselves)."""
        body = to_body(voucher)
        body.pop("version", None)
        raw = self._request("POST", self.path, json=body)
        return ActionResult.model_validate(raw.json())

    def put_raw(self, record_id: str | uuid.UUID, body: Mapping[str, Any]) -> None:
        """PUT a voucher as read and merged by the caller, dates back to ``yyyy-MM-dd``. The
        caller keeps ``files``: an id missing from it is deleted for good (§5.23)."""
        if "files" not in body:
            raise InvalidRequestError("a voucher PUT must carry its files (§5.23)")
        path = f"{self.path}/{require_id(record_id, 'voucher_id')}"
        self._request("PUT", path, json=_as_plain_dates(dict(body)))

    def get(self, voucher_id: str) -> Voucher:
        return self._get_model(Voucher, f"{self.path}/{require_id(voucher_id, 'voucher_id')}")

    def update(
        self,
        voucher_id: str,
        changes: Body,
        *,
        expected_version: int | None = None,
        remove_files: bool = False,
    ) -> ActionResult:
        """Read-merge-put. A voucher file id missing from ``files`` on PUT is deleted for good
        (§5.23), so the current ``files`` are always kept: new ids in ``changes`` are added to
        them. Only ``remove_files=True`` lets ``changes["files"]`` replace the list."""
        path = f"{self.path}/{require_id(voucher_id, 'voucher_id')}"
        current = self._get_json(path)
        if not isinstance(current, Mapping):
            raise InvalidRequestError("unexpected voucher body from Lexware")
        changes_dict = to_body(changes)
        changes_dict.pop("version", None)
        body = _as_plain_dates(deep_merge(current, changes_dict))
        current_files = [str(f) for f in current.get("files") or []]
        if "files" in changes_dict and not remove_files:
            extra = [str(f) for f in changes_dict["files"] or [] if str(f) not in current_files]
            body["files"] = current_files + extra
        elif "files" not in changes_dict:
            body["files"] = current_files
        if expected_version is not None:
            body["version"] = expected_version
        raw = self._request("PUT", path, json=body)
        return ActionResult.model_validate(raw.json())

    def find_by_number(
        self, voucher_number: str, *, page: int = 0, size: int = 25
    ) -> Page[Voucher]:
        """Deprecated ``GET /v1/vouchers?voucherNumber=`` (use the voucherlist); the number is
        HTML-escaped then URL-encoded (§1.3)."""
        if not voucher_number:
            raise InvalidRequestError("voucher_number must not be empty")
        check_page_args(page, size)
        params: dict[str, ParamValue] = {
            "voucherNumber": html_escape_search(voucher_number),
            "page": page,
            "size": size,
        }
        return Page[Voucher].model_validate(self._get_json(self.path, params=params))

    def attach_file(
        self, voucher_id: str, content: bytes | IO[bytes], filename: str
    ) -> FileUploadResult:
        """``POST /v1/vouchers/{id}/files`` (multipart ``file`` part) → ``{id}``."""
        path = f"{self.path}/{require_id(voucher_id, 'voucher_id')}/files"
        raw = self._request("POST", path, files=prepare_upload(content, filename))
        return FileUploadResult.model_validate(raw.json())
