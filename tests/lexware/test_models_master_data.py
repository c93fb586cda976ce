"""lexware.models: master data, reference data, files and webhooks against payloads shaped like
the samples of lexware-api.md (§5.4, §5.5, §5.6, §5.11, §5.12, §5.16-§5.19, §5.21, §7)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from lexware.models import (
    EVENT_TYPES,
    RESOURCE_OF_EVENT,
    Article,
    ArticleType,
    Contact,
    Country,
    DownloadedFile,
    EventSubscriptionList,
    EventType,
    FileStatus,
    FileStatusValue,
    FileUploadResult,
    LeadingPrice,
    Page,
    PaymentCondition,
    PostingCategory,
    PrintLayout,
    Profile,
    RecurringTemplate,
    TaxType,
    WebhookEvent,
    event_resource,
)
from tests.lexware.test_models import assert_round_trip

CONTACT_CREATE = {
    "version": 0,
    "roles": {"customer": {}},
    "company": {
        "name": "Beispiel Werkstatt GmbH",
        "vatRegistrationId": "DE123456789",
        "contactPersons": [
            {
                "lastName": "Sommer",
                "firstName": "Jana",
                "primary": True,
                "emailAddress": "jana.sommer@example.org",
            }
        ],
    },
    "addresses": {
        "billing": [
            {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
        ]
    },
    "emailAddresses": {"business": ["info@example.org"]},
    "phoneNumbers": {"business": ["040 1234567"]},
    "note": "Rahmenvertrag 2026",
}


CONTACT_PERSON = {
    "id": "7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21",
    "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
    "version": 3,
    "roles": {"customer": {"number": 10004}, "vendor": {"number": 70001}},
    "person": {"salutation": "Frau", "firstName": "Inge", "lastName": "Musterfrau"},
    "addresses": {
        "billing": [{"street": "Ring 1", "zip": "10115", "city": "Berlin", "countryCode": "DE"}],
        "shipping": [
            {
                "supplement": "Hinterhaus",
                "street": "Weg 2",
                "zip": "1010",
                "city": "Wien",
                "countryCode": "AT",
            },
            {"street": "Zweitadresse 9", "zip": "80331", "city": "München", "countryCode": "DE"},
        ],
    },
    "xRechnung": {"buyerReference": "04011000-1234512345-06", "vendorNumberAtCustomer": "K-77"},
    "emailAddresses": {"private": ["inge@example.org", "inge2@example.org"], "other": []},
    "phoneNumbers": {"mobile": ["0170 1111111"], "fax": ["030 999"]},
    "archived": False,
}


ARTICLE = {
    "id": "a2b4c6d8-0000-4000-8000-000000000001",
    "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
    "createdDate": "2026-01-05T09:00:00.000+01:00",
    "updatedDate": "2026-02-05T09:00:00.000+01:00",
    "archived": False,
    "title": "Wartungspauschale",
    "type": "SERVICE",
    "unitName": "Monat",
    "articleNumber": "SRV-100",
    "gtin": "4006381333931",
    "price": {"netPrice": 50.0, "grossPrice": 59.5, "leadingPrice": "NET", "taxRate": 19},
    "version": 2,
}


PROFILE = {
    "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
    "companyName": "Muster Handwerk GmbH",
    "created": {
        "userId": "11111111-2222-4333-8444-555555555555",
        "userName": "Frau Petra Muster",
        "userEmail": "petra@example.org",
        "date": "2024-05-06T08:00:00.000+02:00",
    },
    "connectionId": "66666666-7777-4888-9999-000000000000",
    "features": ["cashbox"],
    "businessFeatures": ["INVOICING", "INVOICING_PRO", "BOOKKEEPING"],
    "subscriptionStatus": "active",
    "taxType": "net",
    "distanceSalesPrinciple": "ORIGIN",
    "smallBusiness": False,
}


WEBHOOK = {
    "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
    "eventType": "invoice.status.changed",
    "resourceId": "3f0c5a1e-8a6b-4f4e-9a51-0d7c2b6e1a11",
    "eventDate": "2026-03-02T10:30:00.000+01:00",
}


SUBSCRIPTIONS = {
    "content": [
        {
            "subscriptionId": "d1000000-0000-4000-8000-000000000001",
            "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
            "createdDate": "2026-03-01T12:00:00.000+01:00",
            "eventType": "contact.changed",
            "callbackUrl": "https://portal.example.org/hooks/lexware/",
        },
        {
            "subscriptionId": "d1000000-0000-4000-8000-000000000002",
            "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
            "createdDate": "2026-03-01T12:00:01.000+01:00",
            "eventType": "payment.changed",
            "callbackUrl": "https://portal.example.org/hooks/lexware/",
        },
    ]
}


RECURRING_LIST_ITEM = {
    "id": "e1000000-0000-4000-8000-000000000001",
    "organizationId": "0b8f4d3a-1c2e-4f5a-9b6c-7d8e9f0a1b2c",
    "title": "Wartungsvertrag",
    "createdDate": "2025-12-01T09:00:00.000+01:00",
    "updatedDate": "2026-03-01T03:10:00.000+01:00",
    "address": {"contactId": "7d1c9c2e-0b7e-4a55-9f0e-2a8f6f5e4b21", "name": "Beispiel GmbH"},
    "totalPrice": {"currency": "EUR", "totalNetAmount": 605.04, "totalGrossAmount": 720.0},
    "paymentConditions": {"paymentTermLabel": "Zahlbar sofort", "paymentTermDuration": 0},
    "recurringTemplateSettings": {
        "id": "e2000000-0000-4000-8000-000000000001",
        "startDate": "2026-01-01",
        "endDate": None,
        "finalize": True,
        "shippingType": "service",
        "retroactiveInvoice": False,
        "executionInterval": "MONTHLY",
        "nextExecutionDate": "2026-04-01",
        "lastExecutionFailed": False,
        "lastExecutionErrorMessage": None,
        "executionStatus": "ACTIVE",
    },
}


def test_contact_create_body_round_trips_with_empty_role_object() -> None:
    contact = assert_round_trip(Contact, CONTACT_CREATE)
    assert contact.roles is not None and contact.roles.customer is not None
    assert contact.roles.vendor is None
    # The empty role object is how the role is requested on create: it must stay in the body.
    assert contact.to_api()["roles"] == {"customer": {}}
    assert contact.company is not None and contact.company.contact_persons is not None
    assert contact.company.contact_persons[0].primary is True
    assert contact.display_name == "Beispiel Werkstatt GmbH"


def test_contact_read_with_several_entries_keeps_all_of_them() -> None:
    contact = assert_round_trip(Contact, CONTACT_PERSON)
    assert contact.customer_number == 10004
    assert contact.vendor_number == 70001
    assert contact.display_name == "Inge Musterfrau"
    assert contact.addresses is not None and contact.addresses.shipping is not None
    assert len(contact.addresses.shipping) == 2
    assert contact.x_rechnung is not None
    assert contact.x_rechnung.vendor_number_at_customer == "K-77"


def test_article_parses_decimal_prices_and_uppercase_enums() -> None:
    article = assert_round_trip(Article, ARTICLE)
    assert article.type is ArticleType.SERVICE
    assert article.price is not None
    assert article.price.leading_price is LeadingPrice.NET
    assert article.price.net_price == Decimal("50.00")
    assert article.price.gross_price == Decimal("59.50")
    assert isinstance(article.price.tax_rate, Decimal)


def test_profile_and_created_date() -> None:
    profile = assert_round_trip(Profile, PROFILE)
    assert profile.created is not None and profile.created.date is not None
    assert profile.created.date.utcoffset() == timedelta(hours=2)
    assert profile.business_features == ["INVOICING", "INVOICING_PRO", "BOOKKEEPING"]
    assert profile.tax_type is TaxType.NET


def test_reference_data_arrays() -> None:
    countries = TypeAdapter(list[Country]).validate_python(
        [
            {
                "countryCode": "DE",
                "countryNameDE": "Deutschland",
                "countryNameEN": "Germany",
                "taxClassification": "de",
            },
            {
                "countryCode": "ES_CN",
                "countryNameDE": "Kanarische Inseln",
                "countryNameEN": "Canary Islands",
                "taxClassification": "thirdPartyCountry",
            },
        ]
    )
    assert countries[1].country_name_en == "Canary Islands"
    assert countries[0].to_api()["countryNameDE"] == "Deutschland"
    assert_round_trip(
        Country,
        {
            "countryCode": "AT",
            "countryNameDE": "Österreich",
            "countryNameEN": "Austria",
            "taxClassification": "intraCommunity",
        },
    )
    condition = assert_round_trip(
        PaymentCondition,
        {
            "id": "p1",
            "organizationDefault": True,
            "paymentTermLabelTemplate": "{discount} Skonto bei Zahlung innerhalb {discountRange} Tagen",
            "paymentTermDuration": 30,
            "paymentDiscountConditions": {"discountPercentage": 2.5, "discountRange": 10},
        },
    )
    assert condition.payment_discount_conditions is not None
    assert condition.payment_discount_conditions.discount_percentage == Decimal("2.5")
    category = assert_round_trip(
        PostingCategory,
        {
            "id": "8f8664a8-fd86-11e1-a21f-0800200c9a66",
            "name": "Warenverkäufe",
            "type": "income",
            "contactRequired": False,
            "splitAllowed": True,
            "groupName": "Einnahmen",
        },
    )
    assert category.type == "income"
    layout = assert_round_trip(PrintLayout, {"id": "l1", "name": "Standard", "default": True})
    assert layout.default is True


def test_files_results() -> None:
    upload = assert_round_trip(FileUploadResult, {"id": "f1", "voucherId": "v1"})
    assert upload.voucher_id == "v1"
    assert assert_round_trip(FileUploadResult, {"id": "f2"}).voucher_id is None
    status = assert_round_trip(FileStatus, {"status": "upload_success", "id": "f1"})
    assert status.status is FileStatusValue.UPLOAD_SUCCESS
    downloaded = DownloadedFile(
        content=b"%PDF-1.7", filename="Rechnung_RE0042.pdf", media_type="application/pdf"
    )
    with pytest.raises(AttributeError):
        downloaded.filename = "other.pdf"  # type: ignore[misc]
    assert downloaded == DownloadedFile(b"%PDF-1.7", "Rechnung_RE0042.pdf", "application/pdf")


def test_recurring_template_list_item_is_the_full_model_with_fewer_fields() -> None:
    template = assert_round_trip(RecurringTemplate, RECURRING_LIST_ITEM)
    settings = template.recurring_template_settings
    assert settings is not None
    assert settings.start_date is not None and settings.start_date.isoformat() == "2026-01-01"
    assert settings.end_date is None
    assert settings.execution_interval == "MONTHLY"
    assert template.to_api()["recurringTemplateSettings"]["nextExecutionDate"] == "2026-04-01"


def test_webhook_payload_and_resource_lookup() -> None:
    event = assert_round_trip(WebhookEvent, WEBHOOK)
    assert event.event_type is EventType.INVOICE_STATUS_CHANGED
    assert event.resource == "invoices"
    with pytest.raises(ValidationError):
        WebhookEvent.model_validate({"eventType": "invoice.created"})


def test_event_subscription_list() -> None:
    subscriptions = assert_round_trip(EventSubscriptionList, SUBSCRIPTIONS)
    assert [s.event_type for s in subscriptions.content] == ["contact.changed", "payment.changed"]
    assert EventSubscriptionList.model_validate({"content": []}).content == []


def test_there_are_exactly_the_42_documented_event_types() -> None:
    assert len(EVENT_TYPES) == 42
    assert len(set(EVENT_TYPES)) == 42
    assert all(t == t.lower() for t in EVENT_TYPES)
    assert "credit-note.status.changed" in EVENT_TYPES
    assert "down-payment-invoice.status.changed" in EVENT_TYPES
    assert "payment.changed" in EVENT_TYPES and "token.revoked" in EVENT_TYPES
    assert "dunning.status.changed" not in EVENT_TYPES
    assert "recurring-template.status.changed" not in EVENT_TYPES


def test_every_event_type_except_token_revoked_maps_to_a_resource() -> None:
    for event_type in EVENT_TYPES:
        if event_type == "token.revoked":
            assert event_resource(event_type) is None
        else:
            assert event_resource(event_type) in RESOURCE_OF_EVENT.values()
    assert RESOURCE_OF_EVENT["credit-note"] == "credit_notes"
    assert RESOURCE_OF_EVENT["down-payment-invoice"] == "down_payment_invoices"
    assert event_resource("contact.created") == "contacts"
    assert event_resource("brand-new.created") is None


def test_page_of_contacts_and_articles() -> None:
    contacts = Page[Contact].model_validate(
        {
            "content": [CONTACT_PERSON],
            "first": True,
            "last": True,
            "totalPages": 1,
            "totalElements": 1,
            "numberOfElements": 1,
            "size": 25,
            "number": 0,
        }
    )
    assert isinstance(contacts.content[0], Contact)
    assert contacts.is_last is True
    assert contacts.sort is None
    articles = Page[Article].model_validate({"content": [ARTICLE], "totalPages": 3, "number": 1})
    assert articles.is_last is False  # `last` missing: derived from number/totalPages
    assert Page[Article].model_validate({"content": [], "number": 2}).is_last is True
