"""Checking dropped receipt files before anything is stored (lexware-api.md §5.12): PDF, JPG,
PNG or XML e-invoices, at most 5 MB, the type told by the content (magic bytes), not the name;
the name must carry a matching extension (Lexware derives the type from it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from lexware.resources.files import MAX_UPLOAD_BYTES, UPLOAD_MEDIA_TYPES, sniff_extension

# A name is kept short and plain: Lexware only needs the extension.
MAX_NAME = 120
# Most files one drop may carry (each becomes its own upload).
MAX_FILES = 50


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    media_type: str
    content: bytes


def _clean_name(name: str) -> str:
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"/\\|?*').strip(" .")
    return base


def check_file(upload: UploadedFile) -> CheckedFile:
    """The file's bytes with a safe name and its media type, or ValidationError saying why."""
    name = _clean_name(upload.name or "")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 5 MB, the most Lexware accepts.") % {"name": name},
            code="too_large",
        )
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if not content:
        raise ValidationError(_("%(name)s is empty.") % {"name": name or "?"}, code="empty")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 5 MB, the most Lexware accepts.") % {"name": name},
            code="too_large",
        )
    sniffed = sniff_extension(content)
    if sniffed is None:
        raise ValidationError(
            _("%(name)s is not a PDF, JPG, PNG or XML file.") % {"name": name or "?"},
            code="wrong_type",
        )
    stem, _dot, extension = name.rpartition(".")
    extension = extension.lower()
    if extension == "jpeg":
        extension = "jpg"
    if not stem or extension != sniffed:
        raise ValidationError(
            _("%(name)s is a %(kind)s file but is not named like one (.%(ext)s).")
            % {"name": name or "?", "kind": sniffed.upper(), "ext": sniffed},
            code="wrong_extension",
        )
    if len(name) > MAX_NAME:
        name = f"{stem[: MAX_NAME - len(extension) - 1]}.{extension}"
    return CheckedFile(filename=name, media_type=UPLOAD_MEDIA_TYPES[sniffed], content=content)
