"""Quotation items (§5.20) in the editor: optional items and alternatives are priced but do not
count into the totals, the body nests alternatives as `subItems`, the simulator (which prices
with the same lexware.totals) stores the totals the page showed, and the rules about where
such items may be are checked before anything is sent."""

from __future__ import annotations

import re
from typing import Any

from portal.documents.models import Document
from portal.operations.models import Operation, OperationState
from portal.sales import quotation_items
from tests.portal.sales.conftest import token

NEW = "/o/alpha/documents/new/quotation/"
TOTALS = f"{NEW}totals/"


def _row(index: int, name: str, price: str, position: str = "", **values: str) -> dict[str, str]:
    row = {
        "type": "custom",
        "name": name,
        "quantity": "1",
        "unit_name": "Stück",
        "unit_price": price,
        "tax_rate": "19",
        "position": position,
        **values,
    }
    return {f"lines-{index}-{key}": value for key, value in row.items()}


def quotation_data(client: Any, rows: list[dict[str, str]], **header: str) -> dict[str, str]:
    data = {
        "idempotency_key": token(client.get(NEW).content.decode()),
        "address_name": "Einmal GmbH",
        "address_country": "DE",
        "voucher_date": "2026-11-02",
        "expiration_date": "2026-12-02",
        "tax_type": "gross",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "action": "send",
        **header,
    }
    for row in rows:
        data.update(row)
    return data


def _shown(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))


# §5.20's sample: main item 23.90 gross, optional 4.90, alternative 15.95 → total gross 23.90.
SAMPLE = [
    _row(0, "Wartung", "23.90"),
    _row(1, "Ersatzfilter", "4.90", "optional"),
    _row(2, "Wartung Premium", "15.95", "alternative"),
]


def test_optional_and_alternative_items_are_shown_but_not_counted(
    client_for, bob, connected
) -> None:
    client = client_for(bob)
    html = client.post(
        TOTALS, quotation_data(client, SAMPLE), headers={"HX-Request": "true"}
    ).content.decode()
    shown = _shown(html)
    assert shown["gross"].endswith("23.90") and shown["net"].endswith("20.08"), shown
    # Every row still shows its own amount.
    for index, amount in ((0, "23.90"), (1, "4.90"), (2, "15.95")):
        match = re.search(rf'id="line-amount-{index}"[^>]*>([^<]*)<', html)
        assert match and match.group(1).endswith(amount), (index, match)
    assert "not included in the totals" in html


def test_the_simulator_stores_the_totals_the_editor_showed_and_the_body_nests_alternatives(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    rows = [
        _row(0, "Montage", "100", tax_rate="19", quantity="2.5", discount="10"),
        _row(1, "Anfahrt", "35.70", "optional", tax_rate="7"),
        _row(2, "Montage Express", "140", "alternative"),
        _row(3, "Montage Wochenende", "180", "alternative"),
        _row(4, "Fachbuch", "8.32", tax_rate="7"),
        {"lines-5-type": "text", "lines-5-name": "Hinweis", "lines-5-position": ""},
    ]
    data = quotation_data(client, rows, tax_type="net", total_discount_percentage="3")
    shown = _shown(client.post(TOTALS, data, headers={"HX-Request": "true"}).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, data)
    assert response.status_code == 302, re.findall(
        r"(?:errorlist|field__errors)[^>]*>(.*?)</", response.content.decode(), re.S
    )
    op = Operation.objects.get(kind="quotation.create")
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    sent = op.input["document"]["lineItems"]
    assert [i["name"] for i in sent] == ["Montage", "Anfahrt", "Fachbuch", "Hinweis"]
    assert sent[1]["optional"] is True and "optional" not in sent[0]
    assert [s["name"] for s in sent[1]["subItems"]] == ["Montage Express", "Montage Wochenende"]
    assert all(s["alternative"] is True for s in sent[1]["subItems"])
    stored = Document.objects.get(lexware_id=op.target_id).raw
    total = stored["totalPrice"]
    assert shown["net"].endswith(f"{total['totalNetAmount']:.2f}"), (shown, total)
    assert shown["gross"].endswith(f"{total['totalGrossAmount']:.2f}"), (shown, total)
    # Only Montage (225.00 @19 %) and Fachbuch (8.32 @7 %) count, less 3 %.
    assert total["totalNetAmount"] == 226.32  # 218.25 + 8.07


def test_misplaced_optional_and_alternative_items_are_refused_on_their_rows(
    client_for, bob, connected
) -> None:
    client = client_for(bob)
    cases = [
        [_row(0, "Alternative ohne Position", "10", "alternative")],
        [
            {"lines-0-type": "text", "lines-0-name": "Text"},
            _row(1, "Alternative unter Text", "10", "alternative"),
        ],
        [{"lines-0-type": "text", "lines-0-name": "Text", "lines-0-position": "optional"}],
        [_row(0, "Unbekannt", "10", "sometimes")],
    ]
    for rows in cases:
        html = client.post(NEW, quotation_data(client, rows)).content.decode()
        assert re.search(
            r'id="id_lines-\d-position_error"|field__errors">[^<]*(?:text line|alternative|valid choice)',
            html,
        ), rows
        assert not Operation.objects.exists()


def test_other_types_have_no_optional_items(client_for, bob, connected) -> None:
    client = client_for(bob)
    url = "/o/alpha/documents/new/creditnote/"
    data = quotation_data(client, [_row(0, "Gutschrift", "10", "optional")])
    data["idempotency_key"] = token(client.get(url).content.decode())
    html = client.post(url, data).content.decode()
    assert "Only quotations have optional and alternative items." in html
    assert '<select name="lines-0-position"' not in client.get(url).content.decode()
    assert '<select name="lines-0-position"' in client.get(NEW).content.decode()
    assert not Operation.objects.exists()


def test_nest_flatten_and_error_paths_round_trip() -> None:
    flat = [
        {"name": "A"},
        {"name": "A1", "alternative": True},
        {"name": "B", "optional": True},
        {"name": "A2", "alternative": True},
        {"name": "C"},
    ]
    body, rows = quotation_items.nest(flat)
    assert [i["name"] for i in body] == ["A", "B", "C"]
    assert [s["name"] for s in body[0]["subItems"]] == ["A1"]
    assert rows == {
        "lineItems[0]": 0,
        "lineItems[0].subItems[0]": 1,
        "lineItems[1]": 2,
        "lineItems[1].subItems[0]": 3,
        "lineItems[2]": 4,
    }
    assert [i["name"] for i in quotation_items.flatten(body)] == [i["name"] for i in flat]
    errors = quotation_items.row_paths(
        {
            "lineItems[1].subItems[0].unitPrice.netAmount": "x",
            "lineItems[2].name": "y",
            "title": "z",
        },
        rows,
    )
    assert errors == {
        "lineItems[3].unitPrice.netAmount": "x",
        "lineItems[4].name": "y",
        "title": "z",
    }


def test_a_reopened_quotation_keeps_its_kinds_of_items(client_for, bob, connected) -> None:
    from portal.sales.forms import DocumentForm
    from portal.sales.types import SALES_TYPES

    body = {
        "voucherDate": "2026-11-02T00:00:00.000+01:00",
        "expirationDate": "2026-12-02T00:00:00.000+01:00",
        "address": {"name": "X", "countryCode": "DE"},
        "taxConditions": {"taxType": "net"},
        "lineItems": [
            {
                "type": "custom",
                "name": "A",
                "quantity": 1,
                "unitName": "h",
                "unitPrice": {"currency": "EUR", "netAmount": 10, "taxRatePercentage": 19},
                "optional": True,
                "subItems": [
                    {
                        "type": "custom",
                        "name": "A1",
                        "quantity": 1,
                        "unitName": "h",
                        "unitPrice": {"currency": "EUR", "netAmount": 12, "taxRatePercentage": 19},
                        "alternative": True,
                    }
                ],
            },
        ],
    }
    data = DocumentForm.data_from_lexware(body)
    assert (data["lines-0-position"], data["lines-1-position"]) == ("optional", "alternative")
    assert data["lines-1-name"] == "A1"
    form = DocumentForm(
        {**data, "idempotency_key": "6f1b0a52-5b8e-4c55-9a4c-6f1d0a0b0c0d"},
        sales_type=SALES_TYPES["quotation"],
        organization=connected.organization,
    )
    assert form.is_valid(), (form.errors, [f.errors for f in form.lines.forms])
    assert form.to_lexware()["lineItems"] == [
        {**body["lineItems"][0], "subItems": body["lineItems"][0]["subItems"]}
    ]


def test_the_check_page_marks_optional_and_alternative_items(client_for, bob, connected) -> None:
    # Found walking the demo: the check page listed them with their amounts like any other item,
    # so the list read as if they were in the total below it.
    client = client_for(bob)
    html = client.post(NEW, quotation_data(client, SAMPLE, action="finalize")).content.decode()
    assert 'id="check-title"' in html
    rows = re.findall(r"<tr><td>\d+</td><td>(.*?)</td>", html)
    assert len(rows) == 3
    assert "data-position" not in rows[0]
    assert 'data-position="optional"' in rows[1] and "Optional item" in rows[1]
    assert 'data-position="alternative"' in rows[2] and "not in total" in rows[2]
