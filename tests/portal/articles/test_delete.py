"""Delete an article (issue 10 item 3): a confirmation page that works without JavaScript, one
DELETE in Lexware, the mirror row gone; a refusal is shown on the page and keeps the article.

Lexware's reference (lexware-api.md §5.4) documents DELETE → 204, or 404 for an unknown id, and
no refusal; the simulator answers the same, also for an article that documents use. The refusal
test therefore has the in-process simulator answer the DELETE with a 406 in Lexware's regular
error shape, the one way a refusal could look (§2), to prove the page says so.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from lexware.simulator.errors import regular
from lexware.simulator.routing import router
from portal.articles.mirror import upsert_article
from portal.articles.models import Article
from portal.operations.models import Operation, OperationState
from tests.portal.articles.conftest import KEY, lexware_back, rendered_form, run_again

BODY = {
    "title": "Altbestand Dübel",
    "type": "PRODUCT",
    "unitName": "Stück",
    "articleNumber": "DUE-8",
    "price": {"netPrice": 0.05, "leadingPrice": "NET", "taxRate": 19},
}


@pytest.fixture
def article(connected: Any, sim: Any) -> Article:
    """An article in Lexware and in the mirror, as after a sync."""
    from portal.operations.clients import client_for_connection

    with client_for_connection(connected) as client:
        created = client.articles.create(BODY)
        data = client.articles.get(str(created.id)).to_api()
    return upsert_article(organization=connected.organization, data=data)


def _urls(article: Article) -> tuple[str, str]:
    kwargs = {"org_slug": "alpha", "lexware_id": article.lexware_id}
    return reverse("articles:delete", kwargs=kwargs), reverse("articles:detail", kwargs=kwargs)


def _deletes(since: float) -> list[dict[str, Any]]:
    from portal.operations.clients import in_process_simulator

    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] == "DELETE"
    ]


def test_the_detail_offers_delete_to_members_only(client_for, alice, bob, carol, article) -> None:
    delete, detail = _urls(article)
    for user, sees in ((alice, True), (bob, True), (carol, False)):
        assert (f'href="{delete}"' in client_for(user).get(detail).content.decode()) is sees


def test_delete_asks_first_then_deletes_once_and_leaves_the_mirror(
    client_for, bob, article, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    delete, detail = _urls(article)
    page = client.get(delete)
    html = page.content.decode()
    # A plain form that posts to itself: works without JavaScript.
    assert page.status_code == 200 and "Altbestand Dübel" in html
    assert f'method="post" action="{delete}"' in html
    assert not Operation.objects.exists()  # looking at the question deletes nothing
    data = rendered_form(client, delete)
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete, data)
    op = Operation.objects.get(kind="article.delete")
    status_url = reverse(
        "articles:delete_status",
        kwargs={"org_slug": "alpha", "lexware_id": article.lexware_id, "code": op.code},
    )
    assert response.status_code == 302 and response["Location"] == status_url
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert str(article.lexware_id) not in sim.tenant_for_key(KEY).articles
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("articles:list", kwargs={"org_slug": "alpha"})).content.decode()
    assert "Altbestand Dübel" not in listing
    # Done: the status sends the user to the list.
    finished = client.get(status_url)
    assert finished.status_code == 302 and finished["Location"] == "/o/alpha/articles/"
    # A second click on the same rendered form deletes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete, data)
    assert Operation.objects.filter(kind="article.delete").count() == 1
    assert len(_deletes(since)) == 1


def test_delete_through_htmx_shows_the_status_in_place(
    client_for, alice, article, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alice)
    delete, _detail = _urls(article)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            delete, rendered_form(client, delete), headers={"HX-Request": "true"}
        )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="write-region"' in html
    assert "Deleting “Altbestand Dübel” in Lexware" in html


def test_an_article_already_gone_in_lexware_counts_as_deleted(
    client_for, bob, article, sim, django_capture_on_commit_callbacks
) -> None:
    """Deleted meanwhile in Lexware (or by an earlier attempt whose answer was lost): 404."""
    del sim.tenant_for_key(KEY).articles[str(article.lexware_id)]
    client = client_for(bob)
    delete, _detail = _urls(article)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete, rendered_form(client, delete))
    op = Operation.objects.get(kind="article.delete")
    assert op.state == OperationState.SUCCEEDED and op.result["already_gone"] is True
    article.refresh_from_db()
    assert article.deleted_at is not None


@pytest.fixture
def lexware_refuses_deletes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-process simulator answers every article DELETE with a 406 (see the docstring)."""

    def refuse(ctx: Any, req: Any, id: str) -> Any:
        raise regular(
            406, req, "Der Artikel wird in Belegen verwendet und kann nicht gelöscht werden."
        )

    routes = [
        dataclasses.replace(route, handler=refuse)
        if (route.method, route.pattern) == ("DELETE", "/v1/articles/{id}")
        else route
        for route in router.routes
    ]
    monkeypatch.setattr(router, "routes", routes)


def test_a_refusal_is_shown_on_the_page_and_the_article_stays(
    client_for, bob, article, sim, lexware_refuses_deletes, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    delete, detail = _urls(article)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete, rendered_form(client, delete))
    op = Operation.objects.get(kind="article.delete")
    assert op.state == OperationState.FAILED
    status_url = reverse(
        "articles:delete_status",
        kwargs={"org_slug": "alpha", "lexware_id": article.lexware_id, "code": op.code},
    )
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get(status_url, headers=headers).content.decode()
        assert "Lexware refused to delete this article" in html
        assert "in Belegen verwendet" in html
        assert 'role="alert"' in html
    assert str(article.lexware_id) in sim.tenant_for_key(KEY).articles
    assert client.get(detail).status_code == 200  # still in the mirror


def test_while_lexware_is_down_the_delete_waits(
    client_for,
    bob,
    article,
    sim,
    lexware_unreachable,
    no_follow_up,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_for(bob)
    delete, detail = _urls(article)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete, rendered_form(client, delete))
    op = Operation.objects.get(kind="article.delete")
    assert op.state == OperationState.PENDING and "temporarily unavailable" in op.error_message
    assert client.get(detail).status_code == 200
    lexware_back(settings)
    assert run_again(op).state == OperationState.SUCCEEDED, op.error_message
    assert client.get(detail).status_code == 404


def test_delete_status_is_only_for_its_own_article(client_for, bob, article, connected) -> None:
    other = Article.objects.create(
        organization=connected.organization,
        lexware_id="0f0e0d0c-0b0a-4909-8807-060504030201",
        title="Andere",
        synced_at=article.synced_at,
    )
    op = Operation.objects.create(
        organization=connected.organization,
        kind="article.delete",
        target_id=str(article.lexware_id),
        input={"id": str(article.lexware_id)},
    )
    url = reverse(
        "articles:delete_status",
        kwargs={"org_slug": "alpha", "lexware_id": other.lexware_id, "code": op.code},
    )
    assert client_for(bob).get(url).status_code == 404
