"""Reading uploads: German CSV conventions detected, hostile files refused before a parser
sees them, rows checked with the form's rules (issue 10 item 6)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.utils import translation

from portal.imports.reading import MAX_ROWS, UnreadableFile, read_upload
from portal.imports.rows import (
    article_from_cells,
    contact_from_cells,
    german_decimal,
    gtin_is_valid,
)
from portal.imports.writing import csv_lines, safe_cell


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are matched in English; outside a request the default language is German."""
    with translation.override("en"):
        yield


GERMAN = "Firmenname;Straße;PLZ;Ort;Notiz\r\nBäckerei Müller GmbH;Hauptstraße 5;80331;München;Öfen, Größe 1,5\r\n"


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + GERMAN.encode("utf-8"), "utf-8-sig"),
        (GERMAN.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1252"],
)
def test_german_encodings_are_recognised(content: bytes, encoding: str) -> None:
    parsed = read_upload("kontakte.csv", content)
    assert parsed.encoding == encoding
    assert parsed.delimiter == ";"
    assert parsed.headings == ["Firmenname", "Straße", "PLZ", "Ort", "Notiz"]
    assert parsed.rows == [
        ["Bäckerei Müller GmbH", "Hauptstraße 5", "80331", "München", "Öfen, Größe 1,5"]
    ]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_recognised(delimiter: str) -> None:
    text = delimiter.join(["Bezeichnung", "Nettopreis", "Einheit"]) + "\n"
    text += delimiter.join(['"Kabel, 3 m"', '"1.234,50"', "Stück"]) + "\n"
    parsed = read_upload("a.csv", text.encode())
    assert parsed.delimiter == delimiter
    assert parsed.rows == [["Kabel, 3 m", "1.234,50", "Stück"]]


def test_comma_decimals() -> None:
    assert german_decimal("1.234,56") == german_decimal("1234.56") == german_decimal("1234,56")
    assert str(german_decimal("1.234")) == "1234"
    assert str(german_decimal("49,90 €")) == "49.90"


def test_xlsx_cells_come_back_as_text() -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Firmenname", "PLZ", "Nettopreis"])
    book.active.append(["Kontor AG", 20457, 49.9])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_upload("k.xlsx", buffer.getvalue())
    assert parsed.format == "xlsx" and parsed.rows == [["Kontor AG", "20457", "49,9"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV"),
        ("k.xlsx", b"just text pretending", "not an Excel"),
        ("k.csv", b"   \n", "empty"),
        ("k.csv", b"Firmenname\n", "no rows"),
        ("k.csv", b"x" * (5 * 1024 * 1024 + 1), "larger than"),
    ],
    ids=["png", "fake xlsx", "empty", "headings only", "too large"],
)
def test_hostile_or_broken_files_are_refused(name: str, content: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_upload(name, content)


def test_a_zip_bomb_xlsx_is_refused_before_openpyxl_opens_it() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000  # small upload, huge when unpacked
    with pytest.raises(UnreadableFile, match="unpacks to too much"):
        read_upload("bombe.xlsx", buffer.getvalue())


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnreadableFile, match="not an Excel"):
        read_upload("k.xlsx", buffer.getvalue())


def test_more_than_5000_rows_are_refused() -> None:
    text = "Firmenname\n" + "".join(f"Firma {i}\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(UnreadableFile, match="at most 5000"):
        read_upload("k.csv", text.encode())
    assert len(read_upload("k.csv", text.rsplit("Firma", 1)[0].encode()).rows) == MAX_ROWS


def test_a_contact_row_becomes_lexware_json() -> None:
    result = contact_from_cells(
        {
            "company_name": "Hafenkontor GmbH",
            "is_customer": "ja",
            "is_vendor": "x",
            "first_name": "Jana",
            "last_name": "Sommer",
            "vat_id": "de 123456789",
            "street": "Hafenweg 3",
            "zip": "20457",
            "city": "Hamburg",
            "country_code": "de",
            "email": "info@hafen.example",
            "phone": "+49 40 123456",
            "buyer_reference": "04011000-1234512345-06",
            "vendor_number_at_customer": "K-77",
        }
    )
    assert result.errors == []
    assert result.data == {
        "roles": {"customer": {}, "vendor": {}},
        "company": {
            "name": "Hafenkontor GmbH",
            "vatRegistrationId": "DE123456789",
            "contactPersons": [{"firstName": "Jana", "lastName": "Sommer", "primary": True}],
        },
        "addresses": {
            "billing": [
                {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
            ]
        },
        "emailAddresses": {"business": ["info@hafen.example"]},
        "phoneNumbers": {"business": ["+49 40 123456"]},
        "xRechnung": {"buyerReference": "04011000-1234512345-06", "vendorNumberAtCustomer": "K-77"},
    }


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"first_name": "Ohne"}, "company_name"),
        ({"company_name": "A", "email": "kein-at"}, "email"),
        ({"company_name": "A", "country_code": "DEU", "city": "Berlin"}, "country_code"),
        ({"company_name": "A", "is_customer": "nein", "is_vendor": "nein"}, "is_customer"),
        ({"company_name": "A\x07B"}, "company_name"),
        ({"company_name": "A", "vat_id": "DE12"}, "vat_id"),
        ({"company_name": "A", "phone": "ruf mich an"}, "phone"),
        ({"company_name": "A", "buyer_reference": "991-1"}, "vendor_number_at_customer"),
        ({"company_name": "A", "note": "x" * 1001}, "note"),
    ],
    ids=[
        "no name",
        "e-mail",
        "country",
        "no role",
        "control char",
        "vat",
        "phone",
        "leitweg",
        "note length",
    ],
)
def test_contact_rows_with_errors_name_the_column(cells: dict[str, str], column: str) -> None:
    assert column in [key for key, _message in contact_from_cells(cells).errors]


def test_article_rows() -> None:
    good = article_from_cells(
        {
            "title": "Kabel",
            "type": "Produkt",
            "unit_name": "Stück",
            "net_price": "1.234,50",
            "tax_rate": "7",
            "gtin": "4006381333931",
        }
    )
    assert good.errors == []
    assert good.data["price"] == {"leadingPrice": "NET", "netPrice": 1234.5, "taxRate": 7}
    bad = article_from_cells(
        {
            "title": "",
            "type": "Ding",
            "unit_name": "x",
            "net_price": "abc",
            "tax_rate": "16",
            "gtin": "4006381333932",
        }
    )
    assert {key for key, _m in bad.errors} == {"title", "type", "net_price", "tax_rate", "gtin"}
    assert gtin_is_valid("96385074") and not gtin_is_valid("96385075")


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+49 40 1", "-2+3", "@SUM(A1)", "\tx"])
def test_formula_cells_are_defused(value: str) -> None:
    assert safe_cell(value) == "'" + value
    line = list(csv_lines(["Notiz"], [[value]], bom=False))[1]
    assert line.lstrip('"').startswith("'")
