"""An organization connected to the in-process simulator, and files to upload."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lexware import key_fingerprint
from portal.core import crypto
from portal.imports.columns import CONTACT_COLUMNS
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "imports-test-key-00000000000000000"
HEADINGS = [c.heading for c in CONTACT_COLUMNS]


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


def contact_cells(**values: str) -> list[str]:
    """One row in the template's column order; unnamed columns empty."""
    return [values.get(c.key, "") for c in CONTACT_COLUMNS]


def csv_file(
    rows: list[list[str]],
    *,
    headings: list[str] | None = None,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    name: str = "kontakte.csv",
) -> SimpleUploadedFile:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings or HEADINGS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list[Any]], *, headings: list[str] | None = None) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(headings or HEADINGS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("kontakte.xlsx", buffer.getvalue())
