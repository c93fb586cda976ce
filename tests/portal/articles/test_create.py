"""New article, end to end through the write path (DESIGN.md §7, issue 10 items 2, 4, 5): the
form, one Operation per rendered form, the job status, the article's page; Lexware's 406 back
on the form's fields; an ambiguous create reconciled, never re-sent; Lexware unreachable → the
input waits and the form reopens from it.

In-process simulator, eager Celery (the worker's part runs when
`django_capture_on_commit_callbacks(execute=True)` ends). The same flow over HTTP with a real
worker: tests/reliability/test_article_writes.py.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.articles.models import Article
from portal.operations.models import Operation, OperationState
from tests.portal.articles.conftest import (
    KEY,
    field_errors,
    lexware_back,
    rendered_form,
    run_again,
    token,
)

NEW = "/o/alpha/articles/new/"
PRODUCT = {
    "title": "Schraube M6 verzinkt",
    "type": "PRODUCT",
    "article_number": "SCH-M6",
    "gtin": "4006381333931",
    "unit_name": "Stück",
    "leading_price": "NET",
    "price": "0.1234",
    "tax_rate": "19",
    "description": "Zinkbeschichtet.\nPaket à 100 Stück.",
}
SERVICE = {
    "title": "Wartungspauschale",
    "type": "SERVICE",
    "article_number": "",
    "gtin": "",
    "unit_name": "Monat",
    "leading_price": "GROSS",
    "price": "120.00",
    "tax_rate": "19",
    "description": "",
}


def _status_url(op: Operation) -> str:
    return reverse("articles:create_status", kwargs={"org_slug": "alpha", "code": op.code})


def _posts(since: float) -> list[dict[str, Any]]:
    from portal.operations.clients import in_process_simulator

    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] == "POST" and r["path"].startswith("/v1/articles")
    ]


# ---------------------------------------------------------------- success


def test_a_product_is_created_end_to_end(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {**rendered_form(client, NEW), **PRODUCT})
    op = Operation.objects.get(kind="article.create")
    assert response.status_code == 302 and response["Location"] == _status_url(op)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.created_by == bob
    sent = sim.tenant_for_key(KEY).articles[op.target_id]
    assert sent["title"] == "Schraube M6 verzinkt" and sent["type"] == "PRODUCT"
    assert sent["articleNumber"] == "SCH-M6" and sent["gtin"] == "4006381333931"
    assert sent["description"] == "Zinkbeschichtet.\nPaket à 100 Stück."
    assert sent["price"] == {
        "netPrice": 0.1234,
        "grossPrice": 0.1468,  # 0.146846 to 4 decimals
        "leadingPrice": "NET",
        "taxRate": 19,
    }
    assert len(_posts(since)) == 1
    article = Article.objects.get(organization=connected.organization, lexware_id=op.target_id)
    assert article.title == "Schraube M6 verzinkt" and article.unit_name == "Stück"
    detail = reverse("articles:detail", kwargs={"org_slug": "alpha", "lexware_id": op.target_id})
    # After the create: the article's page.
    page = client.get(_status_url(op))
    assert page.status_code == 302 and page["Location"] == detail
    assert "Schraube M6 verzinkt" in client.get(detail).content.decode()


def test_a_gross_priced_service_is_created_through_htmx(
    client_for, alice, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            NEW, {**rendered_form(client, NEW), **SERVICE}, headers={"HX-Request": "true"}
        )
    html = response.content.decode()
    op = Operation.objects.get(kind="article.create")
    assert response.status_code == 200 and "<html" not in html
    assert 'id="write-region"' in html and f'hx-get="{_status_url(op)}"' in html
    assert response["HX-Push-Url"] == _status_url(op)
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    sent = sim.tenant_for_key(KEY).articles[op.target_id]
    # Gross 120.00 at 19 % → net 100.84 (§8.3; the preview's function, lexware.totals)
    assert sent["price"]["grossPrice"] == 120.0 and sent["price"]["netPrice"] == 100.84
    assert sent["articleNumber"] is None and sent["gtin"] is None
    finished = client.get(_status_url(op), headers={"HX-Request": "true"})
    assert finished["HX-Redirect"] == reverse(
        "articles:detail", kwargs={"org_slug": "alpha", "lexware_id": op.target_id}
    )


def test_a_double_submit_makes_one_article(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = {**rendered_form(client, NEW), **PRODUCT}
    since = time.time()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(NEW, data, headers={"HX-Request": "true"})
    assert Operation.objects.filter(kind="article.create").count() == 1
    assert len(_posts(since)) == 1
    assert len(sim.tenant_for_key(KEY).articles) == 1


# ---------------------------------------------------------------- Lexware says no


def test_a_taken_article_number_comes_back_onto_its_field(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    """Appendix B: a duplicate number → 406 `materialNumber`, which the form maps to its
    article number field; everything typed is still there."""
    sim.tenant_for_key(KEY)  # the tenant exists before we add to it
    client = client_for(bob)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(NEW, {**rendered_form(client, NEW), **PRODUCT})
    failed = Operation.objects.get(kind="article.create", state=OperationState.FAILED)
    assert "materialNumber" in failed.field_errors
    for headers in ({"HX-Request": "true"}, {}):
        html = client.get(_status_url(failed), headers=headers).content.decode()
        assert "Lexware" in field_errors(html, "article_number")
        assert 'value="Schraube M6 verzinkt"' in html and 'value="SCH-M6"' in html
        assert 'value="0.1234"' in html and "Paket à 100 Stück." in html
    assert len(sim.tenant_for_key(KEY).articles) == 1


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("title", "title"),
        ("unitName", "unit_name"),
        ("gtin", "gtin"),
        ("materialNumber", "article_number"),
        ("price.netPrice", "price"),
        ("price.grossPrice", "price"),
        ("price.taxRate", "tax_rate"),
        ("price.leadingPrice", "leading_price"),
        ("type", "type"),
        ("description", "description"),
    ],
)
def test_lexwares_field_errors_land_on_their_fields(
    client_for, bob, connected, path, field
) -> None:
    """Every field Lexware may name (§5.4, Appendix B, the simulator's validate_article)."""
    op = Operation.objects.create(
        organization=connected.organization,
        kind="article.create",
        state=OperationState.FAILED,
        input={"article": {"title": "X", "type": "SERVICE", "unitName": "h", "price": {}}},
        error_message="Validation failed",
        field_errors={path: "ungültig"},
    )
    html = client_for(bob).get(_status_url(op)).content.decode()
    assert "ungültig" in field_errors(html, field), html


def test_a_504_after_the_create_is_reconciled_into_one_article(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    """Lexware made the article but the answer was lost (504 after processing): never re-sent;
    the reconciler finds it by its article number and adopts it."""
    sim.faults.add(KEY, Fault("504", count=1, method="POST", path_prefix="/v1/articles"))
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**rendered_form(client, NEW), **PRODUCT})
    op = Operation.objects.get(kind="article.create")
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.result.get("adopted") is True
    assert len(_posts(since)) == 1
    assert len(sim.tenant_for_key(KEY).articles) == 1
    assert Article.objects.get(lexware_id=op.target_id).article_number == "SCH-M6"


def test_a_504_after_a_create_without_number_is_found_by_title(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    sim.faults.add(KEY, Fault("504", count=1, method="POST", path_prefix="/v1/articles"))
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**rendered_form(client, NEW), **SERVICE})
    op = Operation.objects.get(kind="article.create")
    assert op.state == OperationState.SUCCEEDED and op.result.get("adopted") is True
    assert len(_posts(since)) == 1 and len(sim.tenant_for_key(KEY).articles) == 1


def test_a_503_on_the_create_is_checked_and_then_reopens_the_form(
    client_for, bob, connected, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    """A 5xx to a POST may mean it was executed: checked in Lexware, never re-sent. Nothing is
    found, so the operation fails visibly and the input is kept."""
    sim.faults.add(KEY, Fault("503", count=50, method="POST", path_prefix="/v1/articles"))
    client = client_for(bob)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**rendered_form(client, NEW), **SERVICE})
    op = Operation.objects.get(kind="article.create")
    assert op.state == OperationState.FAILED and op.reconciliation["found"] is None
    assert len(_posts(since)) == 1
    html = client.get(_status_url(op)).content.decode()
    assert "Please check in Lexware" in html and 'value="Wartungspauschale"' in html


def test_an_older_article_with_the_same_title_is_not_taken_for_ours(
    client_for, bob, connected, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    """The create never reached Lexware (503 before it ran), but an article with the same title,
    type and unit exists and the mirror knew it before: the reconciler must not adopt it."""
    from portal.articles.mirror import upsert_article
    from portal.operations.clients import client_for_connection

    with client_for_connection(connected) as lexware:
        made = lexware.articles.create(
            {
                "title": "Wartungspauschale",
                "type": "SERVICE",
                "unitName": "Monat",
                "price": {"netPrice": 10.0, "leadingPrice": "NET", "taxRate": 19},
            }
        )
        upsert_article(
            organization=connected.organization,
            data=lexware.articles.get(str(made.id)).to_api(),
        )
    sim.faults.add(KEY, Fault("503", count=50, method="POST", path_prefix="/v1/articles"))
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**rendered_form(client, NEW), **SERVICE})
    op = Operation.objects.get(kind="article.create")
    assert op.state == OperationState.FAILED and op.reconciliation["found"] is None
    assert op.target_id == ""
    assert len(sim.tenant_for_key(KEY).articles) == 1


# ---------------------------------------------------------------- Lexware unreachable


def test_while_lexware_is_down_the_input_waits_and_the_form_reopens_from_it(
    client_for,
    bob,
    connected,
    sim,
    lexware_unreachable,
    no_follow_up,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**rendered_form(client, NEW), **PRODUCT})
    op = Operation.objects.get(kind="article.create")
    assert op.state == OperationState.PENDING and "temporarily unavailable" in op.error_message
    edit = f"{NEW}?from={op.code}"
    status = client.get(_status_url(op)).content.decode()
    assert "temporarily unavailable" in status and f'href="{edit}"' in status
    html = client.get(edit).content.decode()
    for value in (
        'value="Schraube M6 verzinkt"',
        'value="SCH-M6"',
        'value="4006381333931"',
        'value="Stück"',
        'value="0.1234"',
        "Paket à 100 Stück.",
    ):
        assert value in html, value
    assert re.search(r'value="PRODUCT"[^>]*checked', html)
    assert re.search(r'value="NET"[^>]*checked', html)
    assert re.search(r'<option value="19" selected', html)
    assert f'name="replaces" value="{op.code}"' in html
    corrected = {
        "idempotency_key": token(html),
        "replaces": str(op.code),
        **PRODUCT,
        "title": "Schraube M6 verzinkt, 100 Stück",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, corrected)
    op.refresh_from_db()
    assert op.state == OperationState.FAILED and "Replaced" in op.error_message
    lexware_back(settings)
    newer = Operation.objects.exclude(pk=op.pk).get(kind="article.create")
    assert run_again(op).state == OperationState.FAILED
    assert run_again(newer).state == OperationState.SUCCEEDED, newer.error_message
    titles = [a["title"] for a in sim.tenant_for_key(KEY).articles.values()]
    assert titles == ["Schraube M6 verzinkt, 100 Stück"]


def test_the_form_reopens_only_from_this_organizations_article_operations(
    client_for, bob, connected, org_b
) -> None:
    client = client_for(bob)
    foreign = Operation.objects.create(
        organization=org_b, kind="article.create", input={"article": {}}
    )
    contact = Operation.objects.create(
        organization=connected.organization, kind="contact.create", input={"contact": {}}
    )
    for code in (foreign.code, contact.code, "not-a-uuid"):
        assert client.get(f"{NEW}?from={code}").status_code == 404


# ---------------------------------------------------------------- local validation, the list


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "Schraube\r\nBcc: x@example.org"}, "title"),
        ({"unit_name": ""}, "unit_name"),
        ({"type": "MATERIAL"}, "type"),
        ({"gtin": "4006381333932"}, "gtin"),  # wrong check digit
        ({"gtin": "400638133393"}, "gtin"),  # 12 digits, wrong check digit
        ({"gtin": "12345"}, "gtin"),
        ({"gtin": "４００６３８１３３３９３１"}, "gtin"),  # full-width digits
        ({"price": ""}, "price"),
        ({"price": "-1"}, "price"),
        ({"price": "1.23456"}, "price"),  # Lexware keeps 4 decimals
        ({"price": "12,50"}, "price"),  # the client asks for English: not 1250
        ({"tax_rate": "16"}, "tax_rate"),  # only 0, 7 and 19 for articles (§5.4)
        ({"leading_price": "BOTH"}, "leading_price"),
        ({"description": "x" * 2001}, "description"),
        ({"article_number": "A" * 101}, "article_number"),
    ],
)
def test_local_validation_keeps_the_input_and_starts_nothing(
    client_for, bob, connected, change, field
) -> None:
    client = client_for(bob)
    response = client.post(
        NEW, {**rendered_form(client, NEW), **PRODUCT, **change}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert field_errors(html, field), html
    assert not Operation.objects.exists()


def test_a_german_price_is_read_as_typed(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    german = {"Accept-Language": "de"}
    form = {"idempotency_key": token(client.get(NEW, headers=german).content.decode())}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**form, **PRODUCT, "price": "1.234,5"}, headers=german)
    op = Operation.objects.get()
    assert op.input["article"]["price"]["netPrice"] == 1234.5
    # Reopened in German, the amount reads as the user typed it (decimal comma).
    html = client.get(f"{NEW}?from={op.code}", headers=german).content.decode()
    assert 'value="1234,50"' in html


def test_a_gtin_typed_with_spaces_is_sent_without(
    client_for, bob, connected, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {**rendered_form(client, NEW), **PRODUCT, "gtin": "4 006381 333931"})
    assert Operation.objects.get().input["article"]["gtin"] == "4006381333931"


def test_the_list_offers_new_article_to_members_only(
    client_for, alice, bob, carol, connected
) -> None:
    url = reverse("articles:list", kwargs={"org_slug": "alpha"})
    for user, sees in ((alice, True), (bob, True), (carol, False)):
        assert (f'href="{NEW}"' in client_for(user).get(url).content.decode()) is sees, user
