"""Editing an article: read-merge-put with the version on the shared edit mechanism
(portal/operations/edits.py; DESIGN.md §7, issue 10 item 3). Fields the form does not show (the
internal note) are kept; a change in Lexware meanwhile to a field the user changed shows both
versions side by side; nothing typed is lost. In-process simulator, eager Celery.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.articles.models import Article
from portal.articles.services import article_create
from portal.operations.models import Operation, OperationState
from tests.portal.articles.conftest import KEY, field_errors, run_again
from tests.portal.contacts.formdata import form_data


def _edit_url(article_id: str) -> str:
    return reverse("articles:edit", kwargs={"org_slug": "alpha", "lexware_id": article_id})


def _writes(since: float) -> list[dict[str, Any]]:
    from portal.operations.clients import in_process_simulator

    return [
        r
        for r in in_process_simulator().requests_since(since, key_fingerprint(KEY))
        if r["method"] in ("POST", "PUT", "DELETE")
    ]


@pytest.fixture
def article_id(connected, sim, django_capture_on_commit_callbacks) -> str:
    """An article in Lexware and the mirror, with an internal note the form does not show."""
    with django_capture_on_commit_callbacks(execute=True):
        op = article_create(
            organization=connected.organization,
            user=None,
            data={
                "title": "Montage",
                "type": "SERVICE",
                "unitName": "Stunde",
                "articleNumber": "MON-1",
                "description": "Vor Ort",
                "note": "Nur mit Meisterbrief",
                "price": {"netPrice": 65.0, "leadingPrice": "NET", "taxRate": 19},
            },
        )
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    return str(op.target_id)


def _change_in_lexware(sim: Any, article_id: str, **changes: Any) -> None:
    """Someone edits the article in Lexware's web app: new values, version + 1."""
    stored = sim.tenant_for_key(KEY).articles[article_id]
    for path, value in changes.items():
        target = stored
        *parents, last = path.split("__")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    stored["version"] += 1


def test_the_detail_offers_edit_to_members_only(client_for, alice, bob, carol, article_id) -> None:
    detail = reverse("articles:detail", kwargs={"org_slug": "alpha", "lexware_id": article_id})
    for user, sees in ((alice, True), (bob, True), (carol, False)):
        page = client_for(user).get(detail).content.decode()
        assert (f'href="{_edit_url(article_id)}"' in page) is sees, user


def test_an_edit_keeps_what_the_form_does_not_show(
    client_for, bob, article_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    page = client.get(_edit_url(article_id)).content.decode()
    assert "Based on version 0 in Lexware" in page
    data = form_data(page)
    assert data["title"] == "Montage" and data["base_version"] == "0"
    assert data["price"] == "65.00" and data["leading_price"] == "NET"
    since = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _edit_url(article_id),
            {**data, "title": "Montage vor Ort", "leading_price": "GROSS", "price": "77.35"},
        )
    op = Operation.objects.get(kind="article.update")
    assert response.status_code == 302
    op.refresh_from_db()
    assert op.state == OperationState.SUCCEEDED, op.error_message
    stored = sim.tenant_for_key(KEY).articles[article_id]
    assert stored["title"] == "Montage vor Ort" and stored["version"] == 1
    assert stored["note"] == "Nur mit Meisterbrief"  # not on the form: kept
    assert stored["price"] == {
        "netPrice": 65.0,
        "grossPrice": 77.35,
        "leadingPrice": "GROSS",
        "taxRate": 19,
    }
    assert [w["method"] for w in _writes(since)] == ["PUT"]
    article = Article.objects.get(lexware_id=article_id)
    assert article.title == "Montage vor Ort" and article.version == 1
    detail = reverse("articles:detail", kwargs={"org_slug": "alpha", "lexware_id": article_id})
    assert client.get(response["Location"])["Location"] == detail


def test_clearing_an_optional_field_clears_it_in_lexware(
    client_for, bob, article_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = form_data(client.get(_edit_url(article_id)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(article_id), {**data, "description": "", "article_number": ""})
    stored = sim.tenant_for_key(KEY).articles[article_id]
    assert not stored["description"] and not stored["articleNumber"]


def test_a_change_in_lexware_to_another_field_is_kept(
    client_for, bob, article_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = form_data(client.get(_edit_url(article_id)).content.decode())
    _change_in_lexware(sim, article_id, price__netPrice=70.0, price__grossPrice=83.3)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(article_id), {**data, "title": "Montage (neu)"})
    op = Operation.objects.get(kind="article.update")
    assert op.state == OperationState.SUCCEEDED, op.error_message
    stored = sim.tenant_for_key(KEY).articles[article_id]
    assert stored["title"] == "Montage (neu)"
    assert stored["price"]["netPrice"] == 70.0 and stored["version"] == 2


def test_a_conflict_shows_both_versions_and_keep_mine_applies_the_input(
    client_for, bob, article_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    since = time.time()
    data = form_data(client.get(_edit_url(article_id)).content.decode())
    _change_in_lexware(sim, article_id, title="Montage (Lexware)")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_edit_url(article_id), {**data, "title": "Montage (Portal)"})
    op = Operation.objects.get(kind="article.update")
    assert op.state == OperationState.FAILED and op.conflict is not None
    assert op.conflict["paths"] == ["title"]
    assert _writes(since) == []  # no PUT over someone else's change
    page = client.get(response["Location"]).content.decode()
    assert "Montage (Portal)" in page and "Montage (Lexware)" in page
    assert "Keep mine" in page and "Take Lexware’s" in page
    assert 'class="conflict-row--differs"' in page
    assert "Title" in page  # the row is named by the form's label, not the JSON path
    # Values as the form shows them, not Lexware's codes.
    assert "Service" in page and "Net price" in page and "€65.00" in page and "19 %" in page
    assert ">SERVICE<" not in page and ">NET<" not in page

    reopened = form_data(client.get(op.edit_url()).content.decode())
    assert reopened["title"] == "Montage (Portal)" and reopened["base_version"] == "1"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(article_id), reopened)
    again = Operation.objects.filter(kind="article.update").exclude(pk=op.pk).get()
    assert again.state == OperationState.SUCCEEDED, again.error_message
    stored = sim.tenant_for_key(KEY).articles[article_id]
    assert stored["title"] == "Montage (Portal)" and stored["version"] == 2
    assert stored["note"] == "Nur mit Meisterbrief"


def test_take_lexwares_opens_the_form_on_the_current_record(
    client_for, bob, article_id, sim, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = form_data(client.get(_edit_url(article_id)).content.decode())
    _change_in_lexware(sim, article_id, title="Montage (Lexware)")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(article_id), {**data, "title": "Montage (Portal)"})
    theirs = form_data(client.get(_edit_url(article_id)).content.decode())
    assert theirs["title"] == "Montage (Lexware)" and theirs["base_version"] == "1"


def test_lexwares_field_errors_on_an_edit_land_on_the_field(
    client_for, bob, article_id, sim, django_capture_on_commit_callbacks
) -> None:
    """Another article holds the number already: Appendix B's 406 `materialNumber`."""
    sim.tenant_for_key(KEY).articles["0d1f5a52-9a43-4d4a-8c1e-2b3a4c5d6e7f"] = {
        **sim.tenant_for_key(KEY).articles[article_id],
        "id": "0d1f5a52-9a43-4d4a-8c1e-2b3a4c5d6e7f",
        "articleNumber": "BELEGT-1",
    }
    client = client_for(bob)
    data = form_data(client.get(_edit_url(article_id)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_edit_url(article_id), {**data, "article_number": "BELEGT-1"})
    op = Operation.objects.get(kind="article.update")
    assert op.state == OperationState.FAILED and op.conflict is None
    html = client.get(response["Location"]).content.decode()
    assert "Lexware" in field_errors(html, "article_number")
    assert 'value="BELEGT-1"' in html


def test_an_edit_waits_through_an_outage_with_its_input(
    client_for, bob, article_id, sim, no_follow_up, django_capture_on_commit_callbacks
) -> None:
    client = client_for(bob)
    data = form_data(client.get(_edit_url(article_id)).content.decode())
    sim.faults.add(KEY, Fault("503", count=50))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_edit_url(article_id), {**data, "title": "Montage im Sturm"})
    op = Operation.objects.get(kind="article.update")
    assert op.state == OperationState.PENDING and op.written_at is None
    reopened = form_data(client.get(op.edit_url()).content.decode())
    assert reopened["title"] == "Montage im Sturm" and reopened["replaces"] == str(op.code)
    sim.faults.clear(KEY)
    assert run_again(op).state == OperationState.SUCCEEDED
    assert sim.tenant_for_key(KEY).articles[article_id]["title"] == "Montage im Sturm"


def test_edit_pages_of_another_record_or_kind_are_404(
    client_for, bob, article_id, connected
) -> None:
    client = client_for(bob)
    other = Operation.objects.create(organization=connected.organization, kind="article.create")
    url = _edit_url(article_id)
    assert client.get(f"{url}?from={other.code}").status_code == 404
    assert client.get(f"{url}?from=junk").status_code == 404
    status = reverse(
        "articles:edit_status",
        kwargs={"org_slug": "alpha", "lexware_id": article_id, "code": other.code},
    )
    assert client.get(status).status_code == 404
