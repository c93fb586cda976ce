"""The Lexware webhook receiver (lexware-api.md §7.3, reliability.md W1–W4, W7)."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from portal.operations.models import Operation
from portal.organizations.models import ConnectionStatus
from portal.sync.models import WebhookEvent
from tests.portal.sync.conftest import body_for, post, sign


def test_a_signed_event_is_stored_once_and_refreshes_the_resource(
    client, signing_key, public_pem, connection
) -> None:
    body = body_for("contact.changed")
    response = post(client, body, sign(signing_key, body))
    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert event.organization == connection.organization
    assert event.outcome == "refresh queued"
    refresh = Operation.objects.get(kind="resource.refresh")
    assert refresh.input["resource"] == "contacts"
    assert refresh.target_id == event.resource_id


def test_replays_are_acknowledged_and_ignored(client, signing_key, public_pem, connection) -> None:
    body = body_for("invoice.status.changed")
    signature = sign(signing_key, body)
    statuses = [post(client, body, signature).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert WebhookEvent.objects.count() == 1
    assert Operation.objects.filter(kind="resource.refresh").count() == 1


def test_many_events_for_one_resource_coalesce_into_one_refresh(
    client, signing_key, public_pem, connection, django_capture_on_commit_callbacks
) -> None:
    resource = str(uuid.uuid4())
    for minute in range(10):
        payload = json.loads(body_for("contact.changed", resource))
        payload["eventDate"] = f"2026-11-21T10:{minute:02d}:00.000+01:00"
        body = json.dumps(payload, separators=(",", ":")).encode()
        with django_capture_on_commit_callbacks(execute=False):
            assert post(client, body, sign(signing_key, body)).status_code == 200
    assert WebhookEvent.objects.count() == 10
    assert Operation.objects.filter(kind="resource.refresh", target_id=resource).count() == 1


def _flip(signature: str) -> str:
    raw = bytearray(base64.b64decode(signature))
    raw[10] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda key, body: (body, None), id="missing header"),
        pytest.param(lambda key, body: (body, "not base64 at all!"), id="not base64"),
        pytest.param(
            lambda key, body: (body, sign(key, body_for("contact.deleted"))), id="other body"
        ),
        pytest.param(lambda key, body: (body, _flip(sign(key, body))), id="flipped byte"),
        pytest.param(lambda key, body: (body, sign(key, body, hashes.SHA256())), id="sha-256"),
        pytest.param(
            lambda key, body: (json.dumps(json.loads(body), indent=2).encode(), sign(key, body)),
            id="re-serialised",
        ),
        pytest.param(
            lambda key, body: (
                body,
                sign(rsa.generate_private_key(public_exponent=65537, key_size=2048), body),
            ),
            id="other key",
        ),
    ],
)
def test_bad_signatures_get_401_and_store_nothing(
    client, signing_key, public_pem, connection, mutate
) -> None:
    """reliability.md W2: every bad signature gets 401, nothing stored or enqueued; checked on raw bytes."""
    sent_body, signature = mutate(signing_key, body_for())
    response = post(client, sent_body, signature)
    assert response.status_code == 401
    assert WebhookEvent.objects.count() == 0
    assert Operation.objects.count() == 0


def test_an_unknown_organization_is_acknowledged_never_404(
    client, signing_key, public_pem, connection
) -> None:
    """reliability.md W3: a signed event for an unknown organization is acknowledged (2xx) and dropped, never 404."""
    body = body_for(org=str(uuid.uuid4()))
    response = post(client, body, sign(signing_key, body))
    assert response.status_code == 200
    assert WebhookEvent.objects.get().outcome == "unknown organization: dropped"
    assert Operation.objects.count() == 0


def test_signed_but_malformed_bodies_are_acknowledged(
    client, signing_key, public_pem, connection
) -> None:
    for body in (b"[]", b"{}", b"\xff\xfe", b'{"organizationId": 1}'):
        assert post(client, body, sign(signing_key, body)).status_code == 200
    assert WebhookEvent.objects.count() == 0


def test_token_revoked_marks_the_connection(client, signing_key, public_pem, connection) -> None:
    """reliability.md K7: a token.revoked event marks the connection revoked."""
    body = body_for("token.revoked", str(uuid.uuid4()))
    assert post(client, body, sign(signing_key, body)).status_code == 200
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.REVOKED


def test_a_deleted_event_marks_the_mirror_row(client, signing_key, public_pem, connection) -> None:
    from portal.contacts.mirror import upsert_contact

    contact_id = str(uuid.uuid4())
    upsert_contact(
        organization=connection.organization,
        data={"id": contact_id, "company": {"name": "Weg GmbH"}, "roles": {"customer": {}}},
    )
    body = body_for("contact.deleted", contact_id)
    assert post(client, body, sign(signing_key, body)).status_code == 200
    from portal.contacts.models import Contact

    assert Contact.objects.get(lexware_id=contact_id).deleted_at is not None


def test_oversized_bodies_and_other_methods_are_refused(
    client, signing_key, public_pem, connection
) -> None:
    big = b"{" + b" " * (70 * 1024) + b"}"
    assert post(client, big, sign(signing_key, big)).status_code == 413
    assert client.get(reverse("hooks:lexware")).status_code == 405
    assert client.put(reverse("hooks:lexware"), data=b"{}").status_code == 405


def test_the_receiver_needs_no_csrf_token(signing_key, public_pem, connection) -> None:
    client = Client(enforce_csrf_checks=True)
    body = body_for()
    assert post(client, body, sign(signing_key, body)).status_code == 200


def test_w5_events_out_of_order_end_in_lexware_s_current_state(
    client, signing_key, public_pem, connection, django_capture_on_commit_callbacks
) -> None:
    """`article.deleted` arrives, then an older `article.changed`: the refresh asks Lexware,
    which no longer has the article, so the mirror keeps it deleted."""
    from portal.articles.mirror import upsert_article
    from portal.articles.models import Article
    from portal.operations.clients import in_process_simulator

    article_id = str(uuid.uuid4())
    upsert_article(
        organization=connection.organization,
        data={"id": article_id, "title": "Alt", "type": "PRODUCT"},
    )
    key = "w5-test-key-00000000000"
    in_process_simulator().reset()
    from portal.core import crypto

    connection.encrypted_api_key = crypto.encrypt(key)
    connection.save()
    for event_type, date in (("article.deleted", "10:31"), ("article.changed", "10:30")):
        payload = json.loads(body_for(event_type, article_id))
        payload["eventDate"] = f"2026-11-21T{date}:00.000+01:00"
        body = json.dumps(payload, separators=(",", ":")).encode()
        with django_capture_on_commit_callbacks(execute=True):
            assert post(client, body, sign(signing_key, body)).status_code == 200
    assert Article.objects.get(lexware_id=article_id).deleted_at is not None
    assert Operation.objects.get(kind="resource.refresh").result == {"outcome": "deleted"}


def test_w8_a_database_outage_answers_503_so_lexware_retries(
    client, signing_key, public_pem, connection, monkeypatch
) -> None:
    from django.db import OperationalError

    def unavailable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("the database is unreachable")

    monkeypatch.setattr(WebhookEvent.objects, "create", unavailable)
    body = body_for()
    response = post(client, body, sign(signing_key, body))
    assert response.status_code == 503
