"""Recurring templates (lexware-api.md §5.21): read-only list and get."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lexware.simulator.sales_seed import seed_demo_sales
from tests.lexware.simulator.sales_helpers import NOW, make_client


@pytest.fixture
def setup() -> Any:
    sim, client = make_client()
    tenant = sim.tenant_for_key("test-key")
    seed_demo_sales(tenant, random.Random(7), NOW)
    return tenant, client


def test_list_is_reduced_and_sorted_by_updated_date_desc(setup: Any) -> None:
    tenant, client = setup
    page = client.get("/v1/recurring-templates").json()
    assert page["totalElements"] == len(tenant.recurring_templates) >= 10
    assert page["sort"][0]["property"] == "updatedDate" and page["sort"][0]["direction"] == "DESC"
    dates = [item["updatedDate"] for item in page["content"]]
    assert dates == sorted(dates, reverse=True)
    assert set(page["content"][0]) == {
        "id",
        "organizationId",
        "title",
        "createdDate",
        "updatedDate",
        "address",
        "totalPrice",
        "paymentConditions",
        "recurringTemplateSettings",
    }


def test_next_due_template_query(setup: Any) -> None:
    """§5.21: ?page=0&size=1&sort=nextExecutionDate,ASC finds the next due template."""
    tenant, client = setup
    page = client.get(
        "/v1/recurring-templates", params={"page": 0, "size": 1, "sort": "nextExecutionDate,ASC"}
    ).json()
    dates = [
        t["recurringTemplateSettings"]["nextExecutionDate"]
        for t in tenant.recurring_templates.values()
    ]
    dates = [d for d in dates if d]
    assert page["content"][0]["recurringTemplateSettings"]["nextExecutionDate"] == min(dates)
    assert client.get("/v1/recurring-templates", params={"sort": "title,ASC"}).status_code == 400


def test_get_full_template_and_404(setup: Any) -> None:
    tenant, client = setup
    template_id = next(iter(tenant.recurring_templates))
    body = client.get(f"/v1/recurring-templates/{template_id}").json()
    assert "voucherStatus" not in body and body["recurringTemplateSettings"]["executionStatus"] in {
        "ACTIVE",
        "PAUSED",
        "ENDED",
    }
    assert body["lineItems"] and body["totalPrice"]["totalGrossAmount"] > 0
    assert (
        client.get("/v1/recurring-templates/00000000-0000-4000-8000-000000000000").status_code
        == 404
    )
    assert client.post("/v1/recurring-templates", json={}).status_code in (403, 404, 405)
