"""Every list page against any query string (reliability.md F1, F5; issue 16 item 4): a list
answers 200 with field errors for what it cannot use (NUL characters included), never a 500;
the admin, whose filters reach the database unvalidated, answers 400 to a NUL. Run on SQLite and, in CI, on PostgreSQL, where NUL and out-of-range dates used to
fail deep inside the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.accounts.models import User
from portal.organizations.models import Organization

LIST_PARAMETERS = {
    "documents:list": ["q", "page", "type", "status", "date_from", "date_to", "contact", "sort"],
    "bookkeeping:list": ["q", "page", "type", "status", "date_from", "date_to", "contact", "sort"],
    "contacts:list": ["q", "page", "role"],
    "articles:list": ["q", "page", "type"],
    "operations:list": ["state"],
}

hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "31.12.9999",
            "1.1.1",
            "2026-02-30",
            "-1",
            "0",
            "99999999999999999999",
            "1e309",
            "NaN",
            "' OR 1=1 --",
            "%00",
            "\x00",
            "\u202e",
            "invoice\x00",
            "🙂" * 50,
            " " * 300,
        ]
    ),
)


@pytest.fixture
def member_client(bob: User, org_a: Organization) -> Client:
    client = Client()
    client.force_login(bob)
    return client


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=st.sampled_from(sorted(LIST_PARAMETERS)), data=st.data())
def test_no_query_string_makes_a_list_fail(
    member_client: Client, org_a: Organization, page: str, data: Any
) -> None:
    names = LIST_PARAMETERS[page]
    query = data.draw(st.dictionaries(st.sampled_from(names), hostile_text, max_size=len(names)))
    headers = data.draw(st.sampled_from([{}, {"HX-Request": "true"}]))
    response = member_client.get(
        reverse(page, kwargs={"org_slug": org_a.slug}), query, headers=headers
    )
    assert response.status_code == 200, (page, query, response.status_code)


@pytest.mark.parametrize("page", ["documents:list", "bookkeeping:list"])
@pytest.mark.parametrize(
    ("field", "value"), [("date_to", "9999-12-31"), ("date_from", "0001-01-01")]
)
def test_dates_out_of_range_get_a_field_error(
    member_client: Client, org_a: Organization, page: str, field: str, value: str
) -> None:
    response = member_client.get(reverse(page, kwargs={"org_slug": org_a.slug}), {field: value})
    assert response.status_code == 200
    assert "1900" in response.content.decode() and "2199" in response.content.decode()


def test_a_nul_in_an_admin_list_filter_is_refused(client: Client, operator: User) -> None:
    client.force_login(operator)
    response = client.get(reverse("admin:organizations_organization_changelist"), {"q": "a\x00b"})
    assert response.status_code == 400
