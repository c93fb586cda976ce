"""Browse pages with the cast (DESIGN.md §6): right role works, charlie 404, anonymous to the
login, wrong method 405; htmx requests get the results partial; bad query strings never 500."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from portal.articles.mirror import upsert_article
from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.organizations.models import Organization
from tests.portal.conftest import make_contact, make_document

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
LISTS = ["contacts:list", "articles:list", "documents:list", "bookkeeping:list"]


def url(name: str, org: str = "alpha", **kwargs: object) -> str:
    return reverse(name, kwargs={"org_slug": org, **kwargs})


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_every_member_can_browse(
    name: str, who: str, cast: dict[str, User], client_for: ClientFor
) -> None:
    response = client_for(cast[who]).get(url(name))
    assert response.status_code == 200
    assert b'id="results"' in response.content
    assert b"<html" in response.content


@pytest.mark.parametrize("name", LISTS)
def test_other_organizations_get_404(
    name: str, cast: dict[str, User], client_for: ClientFor
) -> None:
    assert client_for(cast["charlie"]).get(url(name)).status_code == 404


@pytest.mark.parametrize("name", LISTS)
def test_anonymous_goes_to_login(name: str, org_a: Organization, client_for: ClientFor) -> None:
    response = client_for(None).get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LISTS)
def test_browse_pages_are_read_only(
    name: str, cast: dict[str, User], client_for: ClientFor
) -> None:
    assert client_for(cast["alice"]).post(url(name)).status_code == 405


def test_htmx_request_gets_only_the_results_region(
    cast: dict[str, User], client_for: ClientFor, werkstatt: Contact, org_a: Organization
) -> None:
    make_contact(org_a, name="Papier Lieferant KG", vendor_number=70002)
    client = client_for(cast["carol"])
    full = client.get(url("contacts:list"), {"q": "werkstatt"})
    partial = client.get(url("contacts:list"), {"q": "werkstatt"}, headers={"HX-Request": "true"})
    assert b"<html" in full.content and b"hx-get=" in full.content
    text = partial.content.decode()
    assert "<html" not in text and "<form" not in text
    assert text.strip().startswith('<div id="results"')
    assert "Beispiel Werkstatt GmbH" in text and "Papier Lieferant KG" not in text
    assert "HX-Request" in partial["Vary"]


def test_htmx_history_restore_gets_the_whole_page(
    cast: dict[str, User], client_for: ClientFor
) -> None:
    response = client_for(cast["alice"]).get(
        url("documents:list"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in response.content


@pytest.mark.parametrize(
    ("query", "error_field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "-3"}, "page"),
        ({"sort": "evil; DROP TABLE documents_document"}, "sort"),
        ({"date_from": "not-a-date"}, "date_from"),
        ({"date_from": "2026-01-01", "date_to": "2025-01-01"}, "date_to"),
        ({"q": "ü🧾" * 400}, "q"),
        ({"status": "bogus"}, "status"),
        ({"type": "salesinvoice"}, "type"),  # a bookkeeping type is not a sales document filter
        ({"contact": "not-a-uuid"}, "contact"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_query_strings_show_the_error_and_the_list(
    query: dict[str, str],
    error_field: str,
    cast: dict[str, User],
    client_for: ClientFor,
    invoice: Document,
) -> None:
    response = client_for(cast["bob"]).get(url("documents:list"), query)
    assert response.status_code == 200
    assert error_field in response.context["form"].errors
    assert "filter-errors" in response.content.decode()
    # The invalid filter is ignored, the rest of the page still works.
    assert invoice.voucher_number in response.content.decode()


def test_bad_query_strings_on_other_lists(cast: dict[str, User], client_for: ClientFor) -> None:
    client = client_for(cast["carol"])
    for name, query in [
        ("contacts:list", {"role": "admin", "page": "x"}),
        ("articles:list", {"type": "FOOD"}),
        ("bookkeeping:list", {"sort": "pk", "type": "invoice"}),
    ]:
        response = client.get(url(name), query)
        assert response.status_code == 200, name
        assert response.context["form"].errors, name


def test_document_list_filters_sorts_and_pages(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    for number in range(1, 56):
        make_document(org_a, number=f"RE{number:04d}", voucher_days=-number, total=number)
    client = client_for(cast["alice"])
    first = client.get(url("documents:list"))
    assert first.context["page_obj"].paginator.count == 55
    assert "RE0001" in first.content.decode() and "RE0051" not in first.content.decode()
    second = client.get(url("documents:list"), {"page": "2"})
    assert [row.voucher_number for row in second.context["page_obj"].object_list] == [
        f"RE{n:04d}" for n in range(51, 56)
    ]
    by_total = client.get(url("documents:list"), {"sort": "-total", "q": "re00"})
    assert by_total.context["page_obj"].object_list[0].voucher_number == "RE0055"
    # Sort links keep the filters and drop the page.
    assert "q=re00" in by_total.content.decode() and "sort=total" in by_total.content.decode()


def test_empty_states_say_why(cast: dict[str, User], client_for: ClientFor) -> None:
    client = client_for(cast["alice"])
    assert "after the first sync" in client.get(url("documents:list")).content.decode()
    assert "match" in client.get(url("documents:list"), {"q": "nothing"}).content.decode()


def test_list_shows_freshness_and_amounts_in_the_users_language(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization
) -> None:
    make_document(org_a, number="RE0099", total=1234.56, open_amount=1234.56)
    client = client_for(cast["alice"])
    german = client.get(url("documents:list"), headers={"Accept-Language": "de"}).content.decode()
    english = client.get(url("documents:list"), headers={"Accept-Language": "en"}).content.decode()
    assert "1.234,56 €" in german and "€1,234.56" in english
    assert "Data as of" in english or "Stand" in german


def test_other_organizations_rows_never_appear(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization, org_b: Organization
) -> None:
    make_document(org_b, number="FREMD-1", contact_name="Fremd GmbH")
    make_contact(org_b, name="Fremd GmbH", customer_number=1)
    client = client_for(cast["alice"])
    assert "FREMD-1" not in client.get(url("documents:list"), {"q": "fremd"}).content.decode()
    assert "Fremd GmbH" not in client.get(url("contacts:list")).content.decode()


def test_contact_detail(
    cast: dict[str, User], client_for: ClientFor, werkstatt: Contact, invoice: Document
) -> None:
    response = client_for(cast["carol"]).get(
        url("contacts:detail", lexware_id=werkstatt.lexware_id)
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert f"https://app.lexware.de/permalink/contacts/view/{werkstatt.lexware_id}" in text
    assert "10001" in text and "Hamburg" in text and "jana.sommer@example.org" in text
    assert "info@werkstatt.example" in text and "DE123456789" in text
    assert invoice.voucher_number in text


def test_detail_of_another_organizations_row_is_404(
    cast: dict[str, User], client_for: ClientFor, org_b: Organization
) -> None:
    theirs = make_contact(org_b, name="Fremd GmbH", customer_number=1)
    their_invoice = make_document(org_b, number="FREMD-1")
    client = client_for(cast["alice"])
    assert client.get(url("contacts:detail", lexware_id=theirs.lexware_id)).status_code == 404
    assert (
        client.get(url("documents:detail", lexware_id=their_invoice.lexware_id)).status_code == 404
    )
    assert (
        client.get(url("contacts:detail", org="beta", lexware_id=theirs.lexware_id)).status_code
        == 404
    )


def test_sales_and_bookkeeping_details_do_not_mix(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization, invoice: Document
) -> None:
    purchase = make_document(org_a, voucher_type="purchaseinvoice", number="ER-1")
    client = client_for(cast["alice"])
    assert client.get(url("bookkeeping:detail", lexware_id=invoice.lexware_id)).status_code == 404
    assert client.get(url("documents:detail", lexware_id=purchase.lexware_id)).status_code == 404


def test_article_detail(cast: dict[str, User], client_for: ClientFor, org_a: Organization) -> None:

    article = upsert_article(
        organization=org_a,
        data={
            "id": "0b7c1f1e-8a1e-4c1e-9a55-2b1f1e5e4b21",
            "title": "Wartungspauschale",
            "type": "SERVICE",
            "unitName": "Monat",
            "articleNumber": "SRV-100",
            "version": 1,
            "price": {"netPrice": 50.0, "grossPrice": 59.5, "leadingPrice": "NET", "taxRate": 19},
        },
    )
    response = client_for(cast["carol"]).get(
        url("articles:detail", lexware_id=article.lexware_id), headers={"Accept-Language": "de"}
    )
    text = response.content.decode()
    assert "SRV-100" in text and "59,50 €" in text and "19 %" in text


def test_dashboard_shows_open_and_overdue_invoices(
    cast: dict[str, User], client_for: ClientFor, org_a: Organization, org_b: Organization
) -> None:
    make_document(org_a, number="RE0100", total=1000, open_amount=1000, due_days=5)
    make_document(
        org_a, number="RE0101", status="overdue", total=234.56, open_amount=234.56, due_days=-3
    )
    make_document(org_b, number="FREMD-1", total=99999, open_amount=99999)
    text = (
        client_for(cast["carol"])
        .get(
            reverse("dashboard:index", kwargs={"org_slug": "alpha"}),
            headers={"Accept-Language": "de"},
        )
        .content.decode()
    )
    assert "1.234,56 €" in text  # both open
    assert "234,56 €" in text  # overdue
    assert "RE0100" in text and "FREMD-1" not in text
