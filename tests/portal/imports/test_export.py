"""Exports of the contact and article lists (issue 10 item 7): what the list's filters show,
streamed from the mirror, the import template's columns, formulas defused; members and above export (a bulk copy of the customer list is not a viewer's right)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from openpyxl import load_workbook

from portal.articles.mirror import upsert_article
from portal.contacts.mirror import upsert_contact
from portal.imports.columns import ARTICLE_COLUMNS, CONTACT_COLUMNS
from portal.imports.reading import read_upload
from portal.imports.rows import contact_from_cells
from tests.portal.conftest import contact_data, make_contact


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with a BOM correctly
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def contacts(org_a, org_b) -> None:
    make_contact(org_a, name="Hafenkontor GmbH", customer_number=10001, email="info@hafen.example")
    make_contact(org_a, name="Lieferant Nord KG", vendor_number=70001)
    evil = contact_data(name='=HYPERLINK("http://evil")', customer_number=10002)
    evil["note"] = "@SUM(1+1)"
    upsert_contact(organization=org_a, data=evil)
    make_contact(org_b, name="Fremd GmbH", customer_number=10001)


def test_the_contact_export_is_what_the_filter_shows(client_for, bob, contacts) -> None:
    response = client_for(bob).get("/o/alpha/imports/export/contacts/?role=customer")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="Kontakte-')
    table = _csv(response)
    assert table[0] == [c.heading for c in CONTACT_COLUMNS]
    names = [row[4] for row in table[1:]]
    assert names == ['\'=HYPERLINK("http://evil")', "Hafenkontor GmbH"]  # customers of org A only
    evil = table[1]
    assert evil[-1] == "'@SUM(1+1)" and evil[0] == "10002" and evil[2] == "ja"
    searched = _csv(client_for(bob).get("/o/alpha/imports/export/contacts/?q=hafen"))
    assert [row[4] for row in searched[1:]] == ["Hafenkontor GmbH"]


def test_an_exported_file_imports_again_with_the_same_values(client_for, alice, contacts) -> None:
    response = client_for(alice).get("/o/alpha/imports/export/contacts/?q=hafen")
    parsed = read_upload("k.csv", b"".join(response.streaming_content))
    keys = [c.key for c in CONTACT_COLUMNS]
    row = dict(zip(keys, parsed.rows[0], strict=True))
    result = contact_from_cells(row)
    assert result.errors == []
    assert result.data["company"] == {
        "name": "Hafenkontor GmbH",
        "vatRegistrationId": "DE123456789",
        "contactPersons": [{"firstName": "Jana", "lastName": "Sommer", "primary": True}],
    }
    assert result.data["emailAddresses"] == {"business": ["info@hafen.example"]}


def test_the_xlsx_export_holds_text_never_formulas(client_for, bob, contacts) -> None:
    response = client_for(bob).get("/o/alpha/imports/export/contacts/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows())
    assert [cell.value for cell in rows[0]][:5] == [
        "Kundennummer",
        "Lieferantennummer",
        "Kunde",
        "Lieferant",
        "Firmenname",
    ]
    assert len(rows) == 4
    assert all(cell.data_type != "f" for row in rows for cell in row)


def test_the_article_export(client_for, bob, org_a) -> None:
    upsert_article(
        organization=org_a,
        data={
            "id": str(uuid.uuid4()),
            "version": 1,
            "title": "Wartungspauschale",
            "type": "SERVICE",
            "unitName": "Monat",
            "articleNumber": "SRV-100",
            "price": {"netPrice": 50.0, "grossPrice": 59.5, "leadingPrice": "NET", "taxRate": 19},
        },
    )
    table = _csv(client_for(bob).get("/o/alpha/imports/export/articles/?type=SERVICE"))
    assert table[0] == [c.heading for c in ARTICLE_COLUMNS]
    assert table[1] == [
        "SRV-100",
        "Wartungspauschale",
        "",
        "Dienstleistung",
        "Monat",
        "",
        "50,00",
        "59,50",
        "Netto",
        "19",
        "",
    ]
    assert (
        len(_csv(client_for(bob).get("/o/alpha/imports/export/articles/?format=csv&type=PRODUCT")))
        == 1
    )


def test_the_lists_link_to_their_export_with_the_filters(client_for, bob, contacts) -> None:
    page = client_for(bob).get("/o/alpha/contacts/?q=hafen&role=customer").content.decode()
    assert (
        'href="/o/alpha/imports/export/contacts/?q=hafen&amp;role=customer&amp;format=csv"' in page
    )
    assert client_for(bob).get("/o/alpha/imports/export/other.csv").status_code == 404
    assert client_for(bob).get("/o/alpha/imports/export/contacts.pdf").status_code == 404


def test_templates_are_the_export_columns(client_for, bob) -> None:
    response = client_for(bob).get("/o/alpha/imports/template/?kind=contacts")
    assert _csv(response) == [[c.heading for c in CONTACT_COLUMNS]]
    book = load_workbook(
        io.BytesIO(
            b"".join(
                client_for(bob)
                .get("/o/alpha/imports/template/?kind=articles&format=xlsx")
                .streaming_content
            )
        )
    )
    assert [c.value for c in next(book.active.iter_rows())] == [c.heading for c in ARTICLE_COLUMNS]


def test_a_viewer_gets_no_export(client_for, carol, contacts) -> None:
    """Issue 10: carol (viewer) can do none of it, exports included: no links, and 403."""
    page = client_for(carol).get("/o/alpha/contacts/").content.decode()
    assert "/imports/export/" not in page
    for url in (
        "/o/alpha/imports/export/contacts/",
        "/o/alpha/imports/export/articles/?format=xlsx",
    ):
        assert client_for(carol).get(url).status_code == 403
