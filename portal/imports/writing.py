"""Writing rows as CSV (streamed) or XLSX (openpyxl write-only), for exports, templates and
error files.

CSV is written the way German Excel opens it with a double click: UTF-8 with BOM, `;` between
cells. A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return) gets an
apostrophe in front, so a spreadsheet shows it as text instead of running it as a formula
(CSV/formula injection); the import takes that apostrophe off again.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Line:
    """A file-like object that hands back what csv.writer writes (Django's streaming recipe)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    headings: list[str], rows: Iterable[list[str]], *, delimiter: str = ";", bom: bool = True
) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=delimiter, lineterminator="\r\n")
    first = writer.writerow([safe_cell(h) for h in headings])
    yield (BOM + first) if bom else first
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_bytes(lines: Iterable[str], encoding: str = "utf-8") -> Iterator[bytes]:
    for line in lines:
        yield line.encode(encoding, errors="replace")


def xlsx_file(headings: list[str], rows: Iterable[list[str]], *, title: str) -> IO[bytes]:
    """A temporary file holding the workbook; memory stays flat however many rows there are
    (write-only mode streams rows to disk; the file spools to disk beyond 1 MB)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = WriteOnlyCell(sheet, value=safe_cell(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Every cell as text: a postcode keeps its leading zero, a phone number its plus.
        sheet.append([_text_cell(sheet, cell) for cell in row])
    # Handed to the FileResponse, which closes it once sent.
    target = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    book.save(target)
    target.seek(0)
    return target


def _text_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell
