"""The sales editor end to end (issue 11): customer and articles from the mirror, rows added
and moved on the server, live totals by lexware.totals, the create through the write path,
and what the simulator stores equals what the page showed.

In-process simulator, Celery eager (the worker's part runs when the on-commit callbacks run),
as tests/portal/contacts/test_create.py.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.urls import reverse

from lexware import key_fingerprint
from portal.documents.models import Document
from portal.operations.clients import in_process_simulator
from portal.operations.models import Operation, OperationState
from tests.portal.sales.conftest import KEY, editor_post, form_fields

NEW = "/o/alpha/documents/new/invoice/"
TOTALS = "/o/alpha/documents/new/invoice/totals/"


def _posts(since: float, path: str = "/v1/invoices") -> list[dict[str, Any]]:
    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] == "POST" and r["path"].startswith(path)
    ]


def _totals(html: str) -> dict[str, str]:
    found = dict(re.findall(r'data-total="(\w+)">([^<]*)<', html))
    found.update(
        {
            f"tax {rate}": value
            for rate, value in re.findall(r'data-tax-rate="([\d.E+]+)">([^<]*)<', html)
        }
    )
    return found


def _build_invoice(client: Any, customer: Any, screws: Any, book: Any) -> dict[str, str]:
    """What a user does in the editor: customer, two article lines, a custom and a text line."""
    html = client.get(NEW).content.decode()
    data = form_fields(html)
    html = editor_post(client, NEW, {**data, "action": f"customer:{customer.lexware_id}"})
    data = form_fields(html)
    assert data["contact_id"] == str(customer.lexware_id)
    assert data["address_name"] == "Hafenkontor Sommer GmbH" and data["address_city"] == "Hamburg"
    html = editor_post(client, NEW, {**data, "action": f"article:{screws.lexware_id}"})
    html = editor_post(client, NEW, {**form_fields(html), "action": f"article:{book.lexware_id}"})
    html = editor_post(client, NEW, {**form_fields(html), "action": "add:custom"})
    data = form_fields(html)
    data.update(
        {
            "lines-2-name": "Montage vor Ort",
            "lines-2-quantity": "2.5",
            "lines-2-unit_name": "Stunde",
            "lines-2-unit_price": "64.90",
            "lines-2-tax_rate": "19",
            "lines-2-discount": "10",
        }
    )
    html = editor_post(client, NEW, {**data, "action": "add:text"})
    data = form_fields(html)
    data["lines-3-name"] = "Hinweis"
    data["lines-3-description"] = "Leistungszeitraum November"
    return data


def test_an_invoice_written_in_the_editor_is_stored_with_the_totals_the_page_showed(
    client_for, bob, connected, customer, screws, book, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = _build_invoice(client, customer, screws, book)
    assert data["lines-0-name"] == "Edelstahlschrauben M6" and data["lines-0-unit_price"] == "13.4"
    assert data["lines-0-type"] == "material" and data["lines-1-tax_rate"] == "7"
    page = client.post(TOTALS, data, headers={"HX-Request": "true"}).content.decode()
    shown = _totals(page)
    # 13.40 @19 %, 8.32 @7 %, 2.5 × 64.90 − 10 % = 146.03 @19 %: net 167.75.
    assert shown["net"] == "$167.75" or shown["net"].endswith("167.75"), shown
    assert 'id="line-amount-2" hx-swap-oob="true">' in page
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**data, "action": "send"})
    assert response.status_code == 302, re.findall(
        r"(?:errorlist|field__errors)[^>]*>(.*?)</", response.content.decode(), re.S
    )
    op = Operation.objects.get(kind="invoice.create")
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, (op.error_message, op.field_errors)
    assert len(_posts(since)) == 1
    document = Document.objects.get(organization=connected.organization, lexware_id=op.target_id)
    assert document.voucher_type == "invoice" and document.status == "draft"
    total = document.raw["totalPrice"]
    assert shown["net"].endswith(f"{total['totalNetAmount']:.2f}")
    assert shown["gross"].endswith(f"{total['totalGrossAmount']:.2f}")
    for group in document.raw["taxAmounts"]:
        assert shown[f"tax {group['taxRatePercentage']}"].endswith(f"{group['taxAmount']:.2f}")
    items = document.raw["lineItems"]
    assert [i["type"] for i in items] == ["material", "material", "custom", "text"]
    assert items[0]["id"] == str(screws.lexware_id)
    detail = reverse(
        "documents:detail", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id}
    )
    status = reverse(
        "sales:status", kwargs={"org_slug": "alpha", "voucher_type": "invoice", "code": op.code}
    )
    assert client.get(status)["Location"] == detail


def test_the_customer_and_article_searches_answer_as_one_types(
    client_for, bob, connected, customer, screws
) -> None:
    client = client_for(bob)
    for query in ("hafen", "info@hafen", str(customer.customer_number or "hafen")):
        html = client.get(f"{NEW}customers/", {"customer_query": query}).content.decode()
        assert f'value="customer:{customer.lexware_id}"' in html, (query, html)
    html = client.get(f"{NEW}articles/", {"article_query": "SCH-M6"}).content.decode()
    assert f'value="article:{screws.lexware_id}"' in html
    html = client.get(f"{NEW}customers/", {"customer_query": "nobody-here"}).content.decode()
    assert "No customer found." in html


def test_viewers_see_no_way_into_the_editor_and_members_do(
    client_for, bob, carol, connected
) -> None:
    for page in ("/o/alpha/documents/", "/o/alpha/"):
        assert "/documents/new/" not in client_for(carol).get(page).content.decode()
        html = client_for(bob).get(page).content.decode()
        assert 'href="/o/alpha/documents/new/invoice/"' in html
        assert 'href="/o/alpha/documents/new/quotation/"' in html
    assert client_for(carol).get(NEW).status_code == 403


def test_a_fresh_editor_has_one_line_and_sensible_defaults(client_for, bob, connected) -> None:
    html = client_for(bob).get("/o/alpha/documents/new/quotation/").content.decode()
    fields = form_fields(html)
    assert fields["lines-TOTAL_FORMS"] == "1" and fields["lines-0-quantity"] == "1"
    assert fields["lines-0-tax_rate"] == "19" and fields["tax_type"] == "net"
    assert fields["expiration_date"] > fields["voucher_date"]
