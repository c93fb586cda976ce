"""The webhook receiver against any signed body (reliability.md F3, issue 16 item 5): never a
500 or a 503 Lexware would retry forever; nothing but a real event reaches the worker."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.operations.models import Operation
from portal.sync.models import WebhookEvent
from tests.portal.sync.conftest import LEXWARE_ORG, post, sign


def _event(**overrides: Any) -> bytes:
    payload = {
        "organizationId": LEXWARE_ORG,
        "eventType": "contact.changed",
        "resourceId": str(uuid.uuid4()),
        "eventDate": "2026-11-21T10:30:00.000+01:00",
        **overrides,
    }
    return json.dumps(payload).encode()


def test_a_body_nested_5000_deep_is_refused_with_400(
    client, signing_key, public_pem, connection, caplog
) -> None:
    body = b"[" * 5000 + b"]" * 5000
    response = post(client, body, sign(signing_key, body))
    assert response.status_code == 400
    assert "nested too deeply" in caplog.text
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("field", ["eventType", "resourceId", "eventDate", "organizationId"])
def test_a_nul_character_is_acknowledged_and_dropped(
    client, signing_key, public_pem, connection, field
) -> None:
    body = _event(**{field: "contact\x00.changed" if field == "eventType" else "a\x00b"})
    response = post(client, body, sign(signing_key, body))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert not WebhookEvent.objects.exists() and not Operation.objects.exists()


@pytest.mark.parametrize("resource_id", ["not-a-uuid", "", "../../v1/profile", "1" * 64, "12345"])
def test_a_resource_id_that_is_no_uuid_never_reaches_the_worker(
    client, signing_key, public_pem, connection, resource_id
) -> None:
    body = _event(resourceId=resource_id)
    response = post(client, body, sign(signing_key, body))
    assert response.status_code == 200 and response.json()["status"] == "ignored"
    assert not Operation.objects.exists()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
event_like = st.fixed_dictionaries(
    {},
    optional={
        "organizationId": st.one_of(st.just(LEXWARE_ORG), json_values),
        "eventType": st.one_of(
            st.sampled_from(
                ["contact.changed", "invoice.deleted", "token.revoked", "payment.changed"]
            ),
            json_values,
        ),
        "resourceId": st.one_of(st.uuids().map(str), json_values),
        "eventDate": json_values,
    },
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        event_like.map(lambda d: json.dumps(d).encode()),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=200),
    )
)
def test_any_signed_body_gets_an_answer_lexware_can_act_on(
    client, signing_key, public_pem, connection, body
) -> None:
    response = post(client, body, sign(signing_key, body))
    assert response.status_code in (200, 400), (body, response.status_code)
    for refresh in Operation.objects.filter(kind="resource.refresh"):
        uuid.UUID(refresh.input["id"])  # only real resource ids are queued
