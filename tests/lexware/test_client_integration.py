"""Every resource of the client against the simulator (DESIGN.md §5), including the fault
paths: 504 after execution on POST → AmbiguousWriteError; 429/500-rate-limit → retried.

Each test runs twice: in-process through `make_transport(sim)` and over real HTTP against the
same kind of `Simulator` served by `make_server` from a daemon thread (issue 4: the two paths
must not differ). Each path gets its own simulator, so state created by one never leaks into
the other's assertions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from lexware import LexwareClient, NoLimiter, RetryPolicy, errors
from lexware.simulator import Simulator, make_transport
from lexware.simulator.faults import Fault
from lexware.simulator.server import serve_in_thread

KEY = "integration-key"
CATEGORY_REVENUE = "8f8664a8-fd86-11e1-a21f-0800200c9a66"


@pytest.fixture(scope="module", params=["in-process", "http"])
def path(request: pytest.FixtureRequest) -> str:
    """How the client reaches the simulator."""
    return str(request.param)


@pytest.fixture(scope="module")
def sim(path: str) -> Iterator[Simulator]:
    simulator = Simulator(rate=1000.0, burst=1000, seed="demo", probe_callbacks=False, ocr_delay=0)
    yield simulator
    simulator.scheduler.stop()


@pytest.fixture(scope="module")
def client(path: str, sim: Simulator) -> Iterator[LexwareClient]:
    policy = RetryPolicy(initial_backoff=0.0, max_backoff=0.0, breaker_threshold=100)
    if path == "in-process":
        with LexwareClient(
            KEY, limiter=NoLimiter(), transport=make_transport(sim), retry=policy
        ) as lexware_client:
            yield lexware_client
        return
    with (
        serve_in_thread(sim) as base_url,
        LexwareClient(KEY, base_url=base_url, limiter=NoLimiter(), retry=policy) as lexware_client,
    ):
        yield lexware_client


def _sales_body(contact_id: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "voucherDate": "2026-03-02T00:00:00.000+01:00",
        "address": {"contactId": contact_id},
        "lineItems": [
            {
                "type": "custom",
                "name": "Beratung",
                "quantity": 3,
                "unitName": "Stunde",
                "unitPrice": {"currency": "EUR", "netAmount": 10.0, "taxRatePercentage": 19},
            }
        ],
        "totalPrice": {"currency": "EUR"},
        "taxConditions": {"taxType": "net"},
        "shippingConditions": {
            "shippingType": "service",
            "shippingDate": "2026-03-02T00:00:00.000+01:00",
        },
    }
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def customer_id(client: LexwareClient) -> str:
    result = client.contacts.create(
        {
            "roles": {"customer": {}},
            "company": {"name": "Müller & Söhne GmbH", "vatRegistrationId": "DE123456789"},
            "addresses": {
                "billing": [
                    {"street": "Hafenweg 3", "zip": "20457", "city": "Hamburg", "countryCode": "DE"}
                ]
            },
            "emailAddresses": {"business": ["info@mueller-soehne.example"]},
            "note": "Rahmenvertrag",
        }
    )
    return result.id


def test_reference_data_and_profile(client: LexwareClient) -> None:
    assert client.profile.get().company_name
    assert any(c.country_code == "DE" for c in client.countries.list())
    assert sum(1 for p in client.payment_conditions.list() if p.organization_default) == 1
    assert client.posting_categories.list()
    assert client.print_layouts.list()


def test_contacts_search_with_ampersand_update_merge_and_conflict(
    client: LexwareClient, customer_id: str
) -> None:
    found = client.contacts.list(name="Müller & Söhne")
    assert [c.id for c in found.content] == [customer_id]
    assert [c.id for c in client.contacts.list(email="info@mueller-soehne").content] == [
        customer_id
    ]
    assert client.contacts.list(customer=True).total_elements
    before = client.contacts.get(customer_id)
    client.contacts.update(customer_id, {"note": "Neuer Vertrag"})
    after = client.contacts.get(customer_id)
    assert after.note == "Neuer Vertrag"
    assert after.company is not None and after.company.vat_registration_id == "DE123456789"
    assert after.version == (before.version or 0) + 1
    with pytest.raises(errors.ConflictError):
        client.contacts.update(customer_id, {"note": "stale"}, expected_version=before.version)
    total = client.contacts.list().total_elements
    assert sum(1 for _ in client.contacts.iter_all(size=25)) == total


def test_articles_lifecycle(client: LexwareClient) -> None:
    number = f"ART-{uuid.uuid4().hex[:8]}"
    article_id = client.articles.create(
        {
            "title": "Wartungspauschale",
            "type": "SERVICE",
            "unitName": "Monat",
            "articleNumber": number,
            "price": {"netPrice": 50.0, "leadingPrice": "NET", "taxRate": 19},
        }
    ).id
    assert [a.id for a in client.articles.list(article_number=number).content] == [article_id]
    client.articles.update(article_id, {"title": "Wartung Plus"})
    article = client.articles.get(article_id)
    assert article.title == "Wartung Plus" and article.unit_name == "Monat"
    with pytest.raises(errors.ConflictError):
        client.articles.update(article_id, {"title": "x"}, expected_version=0)
    assert any(a.id == article_id for a in client.articles.iter_all(type="SERVICE"))
    client.articles.delete(article_id)
    with pytest.raises(errors.NotFoundError):
        client.articles.get(article_id)


def test_sales_document_chain(client: LexwareClient, customer_id: str) -> None:
    quotation_id = client.quotations.create(
        _sales_body(customer_id, expirationDate="2026-04-02T00:00:00.000+02:00"), finalize=True
    ).id
    assert client.quotations.get(quotation_id).voucher_status == "open"
    assert client.quotations.file(quotation_id).content.startswith(b"%PDF")
    confirmation_id = client.order_confirmations.create(
        _sales_body(customer_id), preceding_sales_voucher_id=quotation_id
    ).id
    assert client.order_confirmations.get(confirmation_id).id == confirmation_id
    delivery_id = client.delivery_notes.create(_sales_body(customer_id), finalize=True).id
    assert client.delivery_notes.file(delivery_id, accept="*/*").media_type == "application/pdf"
    assert client.delivery_notes.document(delivery_id).document_file_id

    created = client.invoices.create(_sales_body(customer_id), finalize=True)
    invoice_id = created.id
    # §1.4: the resource URI names the public gateway on both paths, never the local server.
    assert created.resource_uri == f"https://api.lexware.io/v1/invoices/{invoice_id}"
    invoice = client.invoices.get(invoice_id)
    assert invoice.voucher_status == "open"
    pdf = client.invoices.file(invoice_id, accept="pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.filename.endswith(".pdf")
    with pytest.raises(errors.NotFoundError):
        client.invoices.file(invoice_id, accept="xml")  # not an XRechnung
    file_id = client.invoices.document(invoice_id).document_file_id
    assert client.files.download(str(file_id)).content.startswith(b"%PDF")
    assert client.payments.get(invoice_id).voucher_status == "open"

    credit_id = client.credit_notes.create(
        _sales_body(customer_id), finalize=True, preceding_sales_voucher_id=invoice_id
    ).id
    assert client.credit_notes.get(credit_id).voucher_status == "paidoff"

    second_invoice = client.invoices.create(_sales_body(customer_id), finalize=True).id
    dunning_id = client.dunnings.create(
        _sales_body(customer_id), preceding_sales_voucher_id=second_invoice
    ).id
    assert client.dunnings.get(dunning_id).voucher_status == "draft"
    # §5.3: dunnings are drafts, yet /document renders them.
    assert client.dunnings.document(dunning_id).document_file_id
    assert client.dunnings.file(dunning_id).content.startswith(b"%PDF")  # §5.10 "/file PDF only"

    draft_id = client.invoices.create(_sales_body(customer_id)).id
    with pytest.raises(errors.ConflictError):
        client.invoices.file(draft_id)  # §5.3: /file on a draft → 409
    with pytest.raises(errors.ValidationError):
        client.invoices.document(draft_id)  # ... and /document → 406


def test_validation_error_has_field_errors(client: LexwareClient, customer_id: str) -> None:
    body = _sales_body(customer_id)
    del body["lineItems"][0]["unitPrice"]["taxRatePercentage"]
    with pytest.raises(errors.ValidationError) as caught:
        client.invoices.create(body)
    assert caught.value.field_errors
    assert caught.value.trace_id


def test_down_payment_invoices_and_voucherlist(client: LexwareClient) -> None:
    rows = client.voucherlist.list(voucher_type="downpaymentinvoice", voucher_status="paid")
    assert rows.content
    dpi = client.down_payment_invoices.get(rows.content[0].id)
    assert dpi.id == rows.content[0].id
    assert client.down_payment_invoices.file(rows.content[0].id).content.startswith(b"%PDF")
    total = client.voucherlist.list(voucher_type="any", voucher_status="any").total_elements
    assert total is not None
    assert (
        sum(1 for _ in client.voucherlist.iter_all(voucher_type="any", voucher_status="any"))
        == total
    )
    overdue = client.voucherlist.list(
        voucher_type="invoice", voucher_status="overdue", sort="voucherDate,DESC", size=250
    )
    assert all(row.voucher_status == "overdue" for row in overdue.content)


def test_vouchers_files_and_recurring_templates(client: LexwareClient) -> None:
    number = f"SHOP-{uuid.uuid4().hex[:6]}"
    voucher_id = client.vouchers.create(
        {
            "type": "salesinvoice",
            "voucherNumber": number,
            "voucherDate": "2026-03-02",
            "totalGrossAmount": 119.00,
            "totalTaxAmount": 19.00,
            "taxType": "gross",
            "useCollectiveContact": True,
            "contactName": "Online-Kunde",
            "voucherItems": [
                {
                    "amount": 119.00,
                    "taxAmount": 19.00,
                    "taxRatePercent": 19,
                    "categoryId": CATEGORY_REVENUE,
                }
            ],
        }
    ).id
    attached = client.vouchers.attach_file(
        voucher_id, b"%PDF-1.4 receipt " + number.encode(), "beleg.pdf"
    )
    client.vouchers.update(voucher_id, {"remark": "geprüft"})
    voucher = client.vouchers.get(voucher_id)
    assert voucher.remark == "geprüft" and voucher.files == [attached.id]  # files kept
    assert [v.id for v in client.vouchers.find_by_number(number).content] == [voucher_id]
    assert (
        client.voucherlist.list(
            voucher_type="salesinvoice", voucher_status="any", voucher_number=number
        )
        .content[0]
        .id
        == voucher_id
    )

    upload = client.files.upload(b"%PDF-1.4 scan " + uuid.uuid4().bytes, "scan.pdf")
    assert upload.voucher_id
    assert client.files.status(upload.id).status in ("upload_processing", "upload_success")
    assert client.files.download(upload.id, accept="pdf").media_type == "application/pdf"

    templates = client.recurring_templates.list(size=1, sort="nextExecutionDate,ASC")
    assert templates.content
    assert client.recurring_templates.get(templates.content[0].id).id == templates.content[0].id
    assert sum(1 for _ in client.recurring_templates.iter_all()) == templates.total_elements


def test_event_subscriptions(client: LexwareClient) -> None:
    url = f"https://portal.example/hooks/{uuid.uuid4().hex}/"
    created = client.event_subscriptions.create(event_type="invoice.created", callback_url=url)
    assert client.event_subscriptions.get(created.id).callback_url == url
    assert any(s.subscription_id == created.id for s in client.event_subscriptions.list().content)
    with pytest.raises(errors.ConflictError):
        client.event_subscriptions.create(event_type="invoice.created", callback_url=url)
    client.event_subscriptions.delete(created.id)
    with pytest.raises(errors.NotFoundError):
        client.event_subscriptions.get(created.id)


def test_504_after_execution_on_post_is_ambiguous_and_the_object_exists(
    sim: Simulator, client: LexwareClient, customer_id: str
) -> None:
    number = f"AMB-{uuid.uuid4().hex[:6]}"
    sim.faults.add(KEY, Fault(kind="504", count=1, method="POST", path_prefix="/v1/vouchers"))
    with pytest.raises(errors.AmbiguousWriteError) as caught:
        client.vouchers.create(
            {
                "type": "salesinvoice",
                "voucherNumber": number,
                "voucherDate": "2026-03-02",
                "totalGrossAmount": 119.00,
                "totalTaxAmount": 19.00,
                "taxType": "gross",
                "useCollectiveContact": True,
                "voucherItems": [
                    {
                        "amount": 119.00,
                        "taxAmount": 19.00,
                        "taxRatePercent": 19,
                        "categoryId": CATEGORY_REVENUE,
                    }
                ],
            }
        )
    assert caught.value.status_code == 504 and caught.value.resource == "vouchers"
    # Not re-sent: exactly one voucher with that number exists, found by the reconciler's query.
    assert len(client.vouchers.find_by_number(number).content) == 1


def test_rate_limit_faults_are_retried(sim: Simulator, client: LexwareClient) -> None:
    sim.faults.add(KEY, Fault(kind="429", count=2))
    sim.faults.add(KEY, Fault(kind="500", count=1))
    assert client.countries.list()


def test_request_makes_any_v1_call_through_the_same_loop(client: LexwareClient) -> None:
    """The generic call behind the portal's API console: an answer with status and headers,
    Lexware's error as the usual exception, and nothing outside /v1/."""
    raw = client.request("GET", "/v1/profile")
    assert raw.status_code == 200 and raw.json()["organizationId"]
    assert raw.headers["content-type"].startswith("application/json")
    with pytest.raises(errors.NotFoundError) as caught:
        client.request("GET", f"/v1/contacts/{uuid.uuid4()}")
    assert caught.value.status_code == 404
    with pytest.raises(ValueError):
        client.request("GET", "https://example.org/v1/profile")
