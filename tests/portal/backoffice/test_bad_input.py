"""Hostile input into the backoffice's forms and the audit filters (reliability.md T4, F1):
field errors or a refusal, never a 500, nothing echoed unescaped, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.models import User
from portal.audit.models import SupportSession
from portal.operations.models import Operation, OperationState
from portal.organizations.models import Organization
from tests.portal.test_form_bad_input import BAD_VALUES


@pytest.mark.parametrize("value_name", sorted(BAD_VALUES))
def test_settling_and_support_refuse_bad_input(
    value_name: str, operator: User, org_a: Organization, client_for: Any
) -> None:
    value = BAD_VALUES[value_name]
    client = client_for(operator)
    op = Operation.objects.create(organization=org_a, kind="contact.create", state="unknown")
    url = f"/backoffice/operations/{op.code}/resolve/"
    response = client.post(url, {"outcome": value, "lexware_id": value, "comment": value})
    assert response.status_code == 400, (value_name, response.status_code)
    assert "<script>alert" not in response.content.decode()
    op.refresh_from_db()
    assert op.state == OperationState.UNKNOWN
    # Any text of 10 to 500 characters is a reason (stored as it is, shown escaped).
    valid = 10 <= len(value.strip()) <= 500 and "\x00" not in value
    response = client.post("/backoffice/organizations/alpha/support/", {"reason": value})
    assert response.status_code == (302 if valid else 400), (value_name, response.status_code)
    assert "<script>alert" not in response.content.decode()
    assert SupportSession.objects.exists() is valid
    if valid:
        html = client_for(operator).get("/backoffice/organizations/alpha/support/").content.decode()
        assert "<script>alert" not in html


@pytest.mark.parametrize("value_name", sorted(BAD_VALUES))
def test_list_filters_take_anything(
    value_name: str, operator: User, alice: User, client_for: Any
) -> None:
    value = BAD_VALUES[value_name]
    fields = (
        "action",
        "actor",
        "text",
        "since",
        "until",
        "organization",
        "state",
        "lane",
        "kind",
        "event_type",
        "page",
    )
    query = dict.fromkeys(fields, value)
    for client, url in (
        (client_for(operator), "/backoffice/audit/"),
        (client_for(operator), "/backoffice/audit/export.csv"),
        (client_for(operator), "/backoffice/operations/"),
        (client_for(operator), "/backoffice/webhooks/"),
        (client_for(alice), "/o/alpha/audit/"),
    ):
        response = client.get(url, query)
        assert response.status_code in (200, 400), (url, value_name, response.status_code)
        assert "<script>alert" not in response.content.decode()
