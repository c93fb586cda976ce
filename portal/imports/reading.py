"""Reading an uploaded CSV or XLSX file into headings and rows of text, with tablib.

German files come in several shapes: `;` or `,` between cells, UTF-8 with or without BOM,
or Windows-1252 from an older Excel. The encoding is UTF-8 when the bytes decode as UTF-8,
otherwise charset-normalizer's best guess among the encodings German files use. The
delimiter is the one of `;`, `,` or tab that occurs most often in the heading line.
Nothing here is a parser of its own: tablib (csv module, openpyxl) reads the cells.

Hostile files are refused before they reach a parser: more than MAX_BYTES, an XLSX whose
parts would unpack to more than MAX_XLSX_UNPACKED bytes (a zip bomb), more than MAX_ROWS rows.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

import tablib
from charset_normalizer import from_bytes
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
CSV, XLSX = "csv", "xlsx"
_GERMAN_ENCODINGS = ["utf_8", "cp1252", "iso8859_15", "utf_16"]
_DELIMITERS = (";", ",", "\t")


class UnreadableFile(Exception):
    """The file cannot be imported; the message says why, for the user."""


@dataclass
class ParsedFile:
    format: str
    headings: list[str]
    rows: list[list[str]]
    encoding: str = ""
    delimiter: str = ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel keeps every number as a float: 20457.0 is the postcode 20457, 49.9 a price.
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if hasattr(value, "strftime"):
        return str(value.strftime("%d.%m.%Y"))
    return str(value)


def decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(content, cp_isolation=_GERMAN_ENCODINGS).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return content.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile(_("The file's text encoding could not be recognised.")) from None


def sniff_delimiter(text: str) -> str:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _looks_binary(content: bytes) -> bool:
    sample = content[:4096]
    return b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff"))


def _read_csv(content: bytes) -> ParsedFile:
    if _looks_binary(content):
        raise UnreadableFile(_("This is not a CSV file."))
    text, encoding = decode(content)
    delimiter = sniff_delimiter(text)
    try:
        dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter, headers=False)
    except Exception:
        raise UnreadableFile(_("The CSV file could not be read.")) from None
    rows = [[_cell(value) for value in row] for row in dataset]
    return _with_headings(ParsedFile(CSV, [], rows, encoding, delimiter))


def _check_zip(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UnreadableFile(_("This is not an Excel (XLSX) file.")) from None
    with archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise UnreadableFile(_("This is not an Excel (XLSX) file."))
        if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_UNPACKED:
            raise UnreadableFile(_("This Excel file unpacks to too much data."))


def _read_xlsx(content: bytes) -> ParsedFile:
    _check_zip(content)
    try:
        dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx", headers=False)
    except Exception:
        raise UnreadableFile(_("The Excel file could not be read.")) from None
    rows = [[_cell(value) for value in row] for row in dataset]
    return _with_headings(ParsedFile(XLSX, [], rows))


def _with_headings(parsed: ParsedFile) -> ParsedFile:
    rows = [row for row in parsed.rows if any(cell.strip() for cell in row)]
    if not rows:
        raise UnreadableFile(_("The file is empty."))
    parsed.headings = [cell.strip().lstrip("\ufeff") for cell in rows[0]]
    if len(parsed.headings) > MAX_COLUMNS:
        raise UnreadableFile(
            _("The file has more than %(count)d columns.") % {"count": MAX_COLUMNS}
        )
    parsed.rows = rows[1:]
    if not parsed.rows:
        raise UnreadableFile(_("The file has headings but no rows."))
    if len(parsed.rows) > MAX_ROWS:
        raise UnreadableFile(
            _("The file has %(rows)d rows; at most %(limit)d can be imported at once.")
            % {"rows": len(parsed.rows), "limit": MAX_ROWS}
        )
    return parsed


def read_upload(name: str, content: bytes) -> ParsedFile:
    """CSV or XLSX by content (an XLSX is a zip file), whatever the file is called."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise UnreadableFile(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise UnreadableFile(_("This is not an Excel (XLSX) file."))
    return _read_csv(content)
