"""File downloads: exports of the contact and article lists, import templates, error files.

All of them read the mirror or the import's own rows; none calls Lexware.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from portal.imports.columns import ARTICLES, CONTACTS
from portal.imports.models import ImportJob, ImportRow
from portal.imports.reading import CSV, XLSX
from portal.imports.rows import heading_of
from portal.imports.writing import csv_bytes, csv_lines, xlsx_file

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# File names as Lexware Office names its own files: German whatever the page language.
FILE_STEMS = {CONTACTS: "Kontakte", ARTICLES: "Artikel"}
ERROR_HEADING = "Fehler"


def file_response(
    *,
    fmt: str,
    headings: list[str],
    rows: Iterable[list[str]],
    filename: str,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> HttpResponse:
    """CSV streamed row by row; XLSX written in write-only mode to a spooled file."""
    if fmt == XLSX:
        sheet = filename.rsplit(".", 1)[0]
        # Typed as HttpResponse for the role decorators; Django serves both kinds alike.
        return cast(
            HttpResponse,
            FileResponse(
                xlsx_file(headings, rows, title=sheet),
                as_attachment=True,
                filename=f"{filename}.xlsx",
                content_type=XLSX_TYPE,
            ),
        )
    bom = encoding.replace("_", "-").lower() in ("utf-8-sig", "utf-8")
    codec = "utf-8" if bom else encoding
    response = StreamingHttpResponse(
        csv_bytes(csv_lines(headings, rows, delimiter=delimiter or ";", bom=bom), codec),
        content_type=f"text/csv; charset={'utf-8' if bom else encoding}",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return cast(HttpResponse, response)


def export_filename(kind: str) -> str:
    return f"{FILE_STEMS[kind]}-{timezone.localdate():%Y-%m-%d}"


def row_reason(job: ImportJob, row: ImportRow) -> str:
    if row.errors:
        return "; ".join(f"{heading_of(job.kind, key)}: {message}" for key, message in row.errors)
    operation = row.operation
    if row.status == ImportRow.Status.CANCELLED or operation is None:
        return gettext("The import was cancelled before this row was sent.")
    conflict = operation.conflict
    if conflict is not None:
        # The edit's own message asks to choose a version in the form; the file says which
        # fields were changed in Lexware, so the row can be checked and uploaded again.
        return gettext(
            "Not updated: someone changed these fields in Lexware in the meantime: %(fields)s"
        ) % {"fields": ", ".join(str(path) for path in conflict.get("paths", []))}
    details = [f"{path}: {message}" for path, message in (operation.field_errors or {}).items()]
    return "; ".join([operation.error_message, *details]) if details else operation.error_message


def error_file(job: ImportJob, rows: Iterable[ImportRow]) -> HttpResponse:
    """The rows not imported, as they were uploaded, with a last column saying why; in the
    format, delimiter and encoding of the upload so it can be corrected and uploaded again."""
    width = len(job.headings)

    # Built here, in the caller's language, not later while the response streams.
    lines = []
    for row in rows:
        cells = [str(cell) for cell in row.cells][:width]
        cells += [""] * (width - len(cells))
        lines.append([*cells, row_reason(job, row)])

    stem = (job.file_name.rsplit(".", 1)[0] or FILE_STEMS[job.kind])[:80]
    return file_response(
        fmt=XLSX if job.file_format == XLSX else CSV,
        headings=[*job.headings, ERROR_HEADING],
        rows=lines,
        filename=f"{stem}-Fehler",
        delimiter=job.delimiter or ";",
        encoding=job.encoding or "utf-8-sig",
    )
