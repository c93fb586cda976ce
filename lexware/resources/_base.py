"""Plumbing shared by the resource namespaces (openai-python ``resources/*`` shape)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from email.message import Message
from pathlib import PurePosixPath
from typing import Any, TypeVar
from urllib.parse import unquote

from lexware._http import HttpCore, ParamValue, RawResponse
from lexware.errors import InvalidRequestError
from lexware.models import DownloadedFile, LexwareModel

ModelT = TypeVar("ModelT", bound=LexwareModel)
Body = LexwareModel | Mapping[str, Any]

# Short names accepted for the Accept header of downloads (§5.3, §5.12).
ACCEPT_TYPES = {
    "pdf": "application/pdf",
    "xml": "application/xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "*/*": "*/*",
    "any": "*/*",
}


def require_id(value: str | uuid.UUID, what: str = "id") -> str:
    """Guard before any request (openai-python style): ids are UUIDs; an empty or odd id would
    otherwise silently address another URL (e.g. the collection)."""
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise InvalidRequestError(f"{what} must be a Lexware UUID, got {value!r}") from None


def to_body(body: Body) -> dict[str, Any]:
    """A model (``to_api()``) or a plain mapping, as the JSON dict to send."""
    if isinstance(body, LexwareModel):
        return body.to_api()
    if isinstance(body, Mapping):
        return dict(body)
    raise TypeError(f"expected a lexware model or a dict, got {type(body).__name__}")


def deep_merge(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``current`` with ``changes`` applied: nested objects are merged key by key, lists and
    scalars are replaced. Keys absent from ``changes`` keep their current value, so a partial
    change never empties other fields of a full-replacement PUT (§3)."""
    merged = dict(current)
    for key, value in changes.items():
        existing = merged.get(key)
        if isinstance(value, Mapping) and isinstance(existing, Mapping):
            merged[key] = deep_merge(existing, value)
        else:
            merged[key] = value
    return merged


def filename_from_headers(raw: RawResponse, fallback: str) -> str:
    """The suggested filename of ``Content-Disposition`` (RFC 6266 ``filename*`` first), reduced
    to a bare name so it can never point into a directory."""
    disposition = raw.headers.get("Content-Disposition", "")
    name: str | None = None
    if disposition:
        star = re.search(r"filename\*\s*=\s*([^;]+)", disposition, re.IGNORECASE)
        if star:
            value = star.group(1).strip().strip('"')
            _charset, _, encoded = value.partition("''")
            name = unquote(encoded or value)
        else:
            message = Message()
            message["Content-Disposition"] = disposition
            param = message.get_param("filename", header="Content-Disposition")
            if isinstance(param, str):
                name = param
    if name:
        name = PurePosixPath(name.replace("\\", "/")).name.strip()
        name = "".join(ch for ch in name if ch.isprintable())
    return name or fallback


def media_type_of(raw: RawResponse) -> str:
    value = str(raw.headers.get("Content-Type") or "application/octet-stream")
    return value.split(";")[0].strip()


class Resource:
    """One API area, reached as ``client.<name>``."""

    name = ""  # as in ``client.<name>``; reported in AmbiguousWriteError.resource
    path = ""  # collection path, e.g. "/v1/invoices"

    def __init__(self, http: HttpCore) -> None:
        self._http = http

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, ParamValue] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
        data: Mapping[str, str] | None = None,
        accept: str = "application/json",
    ) -> RawResponse:
        return self._http.request(
            method,
            path,
            resource=self.name,
            params=params,
            json=json,
            files=files,
            data=data,
            accept=accept,
        )

    def _get_json(self, path: str, *, params: Mapping[str, ParamValue] | None = None) -> Any:
        return self._request("GET", path, params=params).json()

    def _get_model(self, model: type[ModelT], path: str) -> ModelT:
        return model.model_validate(self._get_json(path))

    def _download(self, path: str, accept: str, fallback_name: str) -> DownloadedFile:
        try:
            header = ACCEPT_TYPES[accept]
        except KeyError:
            raise InvalidRequestError(
                f"accept must be one of {sorted(ACCEPT_TYPES)}, got {accept!r}"
            ) from None
        raw = self._request("GET", path, accept=header)
        return DownloadedFile(
            content=raw.content,
            filename=filename_from_headers(raw, fallback_name),
            media_type=media_type_of(raw),
        )


class RawRecords(Resource):
    """GET and PUT of one record as raw JSON, for callers that merge themselves and must be
    able to stop between the two (a version conflict shown to a person): fields this
    package's models do not know yet survive the round trip."""

    def get_raw(self, record_id: str | uuid.UUID) -> dict[str, Any]:
        body = self._get_json(f"{self.path}/{require_id(record_id)}")
        if not isinstance(body, dict):
            raise InvalidRequestError(f"unexpected {self.name} body from Lexware")
        return body

    def put_raw(self, record_id: str | uuid.UUID, body: Mapping[str, Any]) -> None:
        """PUT `body` as it is (with the `version` it carries); one request."""
        self._request("PUT", f"{self.path}/{require_id(record_id)}", json=dict(body))
