"""Reference data, profile, payments, recurring templates, event subscriptions (§5.6–§5.21)."""

from __future__ import annotations

import httpx
import pytest

from lexware import errors
from tests.lexware.mock_lexware import ACTION, ID, Recorder, json_response, make_client


@pytest.mark.parametrize(
    ("name", "path", "item", "attribute", "value"),
    [
        (
            "countries",
            "/v1/countries",
            {
                "countryCode": "DE",
                "countryNameDE": "Deutschland",
                "countryNameEN": "Germany",
                "taxClassification": "de",
            },
            "country_code",
            "DE",
        ),
        (
            "payment_conditions",
            "/v1/payment-conditions",
            {
                "id": ID,
                "organizationDefault": True,
                "paymentTermLabelTemplate": "14 Tage",
                "paymentTermDuration": 14,
            },
            "payment_term_duration",
            14,
        ),
        (
            "posting_categories",
            "/v1/posting-categories",
            {
                "id": ID,
                "name": "Warenverkäufe",
                "type": "income",
                "contactRequired": False,
                "splitAllowed": True,
                "groupName": "Einnahmen",
            },
            "name",
            "Warenverkäufe",
        ),
        (
            "print_layouts",
            "/v1/print-layouts",
            {"id": ID, "name": "Standard", "default": True},
            "name",
            "Standard",
        ),
    ],
)
def test_reference_arrays(
    name: str, path: str, item: dict[str, object], attribute: str, value: object
) -> None:
    recorder = Recorder([json_response(200, [item])])
    items = getattr(make_client(recorder), name).list()
    assert (recorder.last.method, recorder.last.path) == ("GET", path)
    assert getattr(items[0], attribute) == value


def test_profile_and_payments() -> None:
    recorder = Recorder(
        [
            json_response(
                200, {"organizationId": ID, "companyName": "Muster GmbH", "taxType": "net"}
            ),
            json_response(
                200,
                {
                    "openAmount": 119.0,
                    "currency": "EUR",
                    "paymentStatus": "openRevenue",
                    "voucherType": "invoice",
                    "voucherStatus": "open",
                    "paymentItems": [],
                },
            ),
        ]
    )
    client = make_client(recorder)
    assert client.profile.get().company_name == "Muster GmbH"
    assert recorder.last.path == "/v1/profile"
    assert client.payments.get(ID).voucher_status == "open"
    assert recorder.last.path == f"/v1/payments/{ID}"


def test_recurring_templates_list_iter_get() -> None:
    template = {
        "id": ID,
        "title": "Wartung",
        "recurringTemplateSettings": {"executionInterval": "MONTHLY", "executionStatus": "ACTIVE"},
    }
    recorder = Recorder(
        [
            json_response(200, {"content": [template], "last": True, "number": 0, "totalPages": 1}),
            json_response(200, {"content": [template], "last": False, "number": 0}),
            json_response(200, {"content": [template], "last": True, "number": 1}),
            json_response(200, template),
        ]
    )
    client = make_client(recorder)
    client.recurring_templates.list(size=1, sort="nextExecutionDate,asc")
    assert recorder.last.path == "/v1/recurring-templates"
    assert recorder.last.query == {"page": "0", "size": "1", "sort": "nextExecutionDate,ASC"}
    assert len(list(client.recurring_templates.iter_all())) == 2
    assert client.recurring_templates.get(ID).title == "Wartung"
    assert recorder.last.path == f"/v1/recurring-templates/{ID}"
    with pytest.raises(errors.InvalidRequestError):
        client.recurring_templates.list(sort="title,ASC")


def test_event_subscriptions() -> None:
    subscription = {
        "subscriptionId": ID,
        "organizationId": ID,
        "eventType": "invoice.created",
        "callbackUrl": "https://portal.example/hooks/lexware/",
        "createdDate": "2026-03-02T10:15:30.123+01:00",
    }
    recorder = Recorder(
        [
            json_response(200, {"content": [subscription]}),
            json_response(200, subscription),
            json_response(201, ACTION, headers={"Location": "https://api.lexware.io/v1/x"}),
            httpx.Response(204),
        ]
    )
    client = make_client(recorder)
    assert client.event_subscriptions.list().content[0].subscription_id == ID
    assert recorder.last.path == "/v1/event-subscriptions"
    assert client.event_subscriptions.get(ID).event_type == "invoice.created"
    assert recorder.last.path == f"/v1/event-subscriptions/{ID}"
    client.event_subscriptions.create(
        event_type="invoice.created", callback_url="https://portal.example/hooks/lexware/"
    )
    assert (recorder.last.method, recorder.last.json()) == (
        "POST",
        {"eventType": "invoice.created", "callbackUrl": "https://portal.example/hooks/lexware/"},
    )
    client.event_subscriptions.delete(ID)
    assert (recorder.last.method, recorder.last.path) == ("DELETE", f"/v1/event-subscriptions/{ID}")
    with pytest.raises(errors.InvalidRequestError):
        client.event_subscriptions.create(event_type="invoice.*", callback_url="https://x/")
