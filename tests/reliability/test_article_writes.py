"""Articles through the pages with real processes (issue 10 items 2–5): the new-article form, its
edit and its delete, each sent by a real Celery worker over Redis to the simulator over HTTP;
and an ambiguous create (504 after Lexware made the article) submitted twice, which must leave
exactly one article in Lexware, checked from the simulator's request log."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Membership, Organization, Role
from tests.portal.contacts.formdata import form_data
from tests.reliability.checks import finished, posts

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

ARTICLE = {
    "title": "Kabelbinder 200 mm",
    "type": "PRODUCT",
    "article_number": "KB-200",
    "gtin": "4006381333931",
    "unit_name": "Beutel",
    "leading_price": "NET",
    "price": "3.90",
    "tax_rate": "19",
    "description": "100 Stück je Beutel",
}


def _member(organization: Organization) -> Client:
    # "Browser default" language, so the client's Accept-Language (English) decides.
    user = User.objects.create_user(
        f"{uuid.uuid4().hex[:8]}@member.example", "pw-123456-abc", language=""
    )
    Membership.objects.create(user=user, organization=organization, role=Role.MEMBER)
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _token(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert match, html[:2000]
    return match.group(1)


def _in_lexware(simulator: Any, api_key: str, number: str) -> list[dict[str, Any]]:
    response = simulator.api("GET", "articles", api_key, params={"articleNumber": number})
    response.raise_for_status()
    return list(response.json()["content"])


def test_create_edit_and_delete_an_article_through_the_pages(
    connected_org, simulator, real_broker, start_worker
) -> None:
    organization, api_key = connected_org
    start_worker(broker=real_broker)
    client = _member(organization)
    base = f"/o/{organization.slug}/articles"

    # New article → the job → the article's page.
    response = client.post(
        f"{base}/new/", {"idempotency_key": _token(client, f"{base}/new/"), **ARTICLE}
    )
    assert response.status_code == 302
    op = finished(Operation.objects.get(organization=organization, kind="article.create"))
    assert op.state == OperationState.SUCCEEDED, op.error_message
    detail = f"{base}/{op.target_id}/"
    assert client.get(response["Location"])["Location"] == detail
    assert "Kabelbinder 200 mm" in client.get(detail).content.decode()
    [made] = _in_lexware(simulator, api_key, "KB-200")
    assert made["price"]["grossPrice"] == 4.641 and made["gtin"] == "4006381333931"

    # Edit: read-merge-put with the version; one PUT.
    data = form_data(client.get(f"{detail}edit/").content.decode())
    assert data["base_version"] == "0"
    response = client.post(f"{detail}edit/", {**data, "title": "Kabelbinder 200 mm, schwarz"})
    assert response.status_code == 302
    edit = finished(Operation.objects.get(organization=organization, kind="article.update"))
    assert edit.state == OperationState.SUCCEEDED, edit.error_message
    [changed] = _in_lexware(simulator, api_key, "KB-200")
    assert changed["title"] == "Kabelbinder 200 mm, schwarz" and changed["version"] == 1
    assert changed["description"] == "100 Stück je Beutel"

    # Delete after the confirmation page; the mirror row goes with it.
    response = client.post(
        f"{detail}delete/", {"idempotency_key": _token(client, f"{detail}delete/")}
    )
    assert response.status_code == 302
    gone = finished(Operation.objects.get(organization=organization, kind="article.delete"))
    assert gone.state == OperationState.SUCCEEDED, gone.error_message
    assert _in_lexware(simulator, api_key, "KB-200") == []
    assert client.get(detail).status_code == 404
    writes = [
        (r["method"], r["status"])
        for r in simulator.requests(api_key)
        if r["method"] in ("POST", "PUT", "DELETE")
    ]
    # One of each that Lexware carried out (a 429 is refused before anything happens).
    assert [method for method, status in writes if status != 429] == ["POST", "PUT", "DELETE"], (
        writes
    )


@pytest.mark.parametrize("number", ["KB-504", ""], ids=["by-number", "by-title"])
def test_an_ambiguous_create_sent_twice_makes_one_article(
    connected_org, simulator, real_broker, start_worker, number: str
) -> None:
    """Lexware makes the article but answers 504; the user clicks "save" twice. One operation
    (the form's token), never re-sent (the POST count in the simulator's log), adopted by the
    reconciler (by article number, or by title without one)."""
    organization, api_key = connected_org
    simulator.fault(api_key, "504", count=1, method="POST", pathPrefix="/v1/articles")
    start_worker(broker=real_broker)
    client = _member(organization)
    url = f"/o/{organization.slug}/articles/new/"
    data = {
        "idempotency_key": _token(client, url),
        **ARTICLE,
        "title": f"Zweimal geklickt {number or 'ohne Nummer'}",
        "article_number": number,
    }
    for _ in range(2):
        assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 200
    [op] = Operation.objects.filter(organization=organization, kind="article.create")
    op = finished(op, timeout=90)
    assert op.state == OperationState.SUCCEEDED, op.error_message
    assert op.result.get("adopted") is True
    assert len(posts(simulator, api_key, "/v1/articles")) == 1
    listed = simulator.api("GET", "articles", api_key, params={"size": 250}).json()["content"]
    assert [a["id"] for a in listed if a["title"] == data["title"]] == [op.target_id]
