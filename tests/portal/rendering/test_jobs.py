"""Render jobs: asked for in a request, drawn by the worker, cached by input, dropped when the
draft changes, failures shown with a retry; the pages around them."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.audit.models import AuditEvent
from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.documents.signals import document_refreshed
from portal.organizations.models import Organization
from portal.rendering import render, services
from portal.rendering.models import RenderJob
from tests.portal.rendering.test_pdf import MARK_DE, voucher

pytestmark = pytest.mark.django_db


def draft(org: Organization, **raw: Any) -> Document:
    return Document.objects.create(
        organization=org,
        lexware_id=uuid.uuid4(),
        voucher_type="invoice",
        status="draft",
        version=1,
        raw=voucher(**raw),
        details_synced_at=timezone.now(),
    )


def pdf_text(response: Any) -> str:
    content = b"".join(response.streaming_content)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_draft_preview_is_rendered_by_the_worker_and_cached(
    org_a: Organization, alice: Any
) -> None:
    org_a.iban, org_a.bank_account_holder = "DE02120300000000202051", "Demo Werkstatt GmbH"
    org_a.save()
    document = draft(org_a)
    job = services.document_preview(organization=org_a, document=document, user=alice)
    assert job.state == "pending"  # nothing drawn in the request
    assert render.render_job(job.pk) == "succeeded"
    assert render.render_job(job.pk) == "skipped"  # a second delivery draws nothing
    job.refresh_from_db()
    assert job.pages == 1 and job.size > 1000
    again = services.document_preview(organization=org_a, document=document, user=alice)
    assert again.pk == job.pk  # same input: the finished job, no new render


def test_changed_draft_drops_its_previews(org_a: Organization) -> None:
    document = draft(org_a)
    job = services.document_preview(organization=org_a, document=document)
    render.render_job(job.pk)
    document.version, document.raw = 2, voucher(remark="Geändert")
    document.save()
    document_refreshed.send(sender=Document, organization=org_a, document=document)
    assert not RenderJob.objects.filter(pk=job.pk).exists()
    fresh = services.document_preview(organization=org_a, document=document)
    assert fresh.pk != job.pk and fresh.source_version == 2


def test_failed_render_shows_why_and_can_be_retried(
    org_a: Organization, client_for: Any, alice: Any
) -> None:
    document = draft(org_a)
    job = services.document_preview(organization=org_a, document=document)
    RenderJob.objects.filter(pk=job.pk).update(
        input={"voucher": {"lineItems": "not a list"}, "letterhead": 5}
    )
    assert render.render_job(job.pk) == "failed"
    client = client_for(alice)
    url = reverse("rendering:job", kwargs={"org_slug": org_a.slug, "code": job.code})
    page = client.get(url)
    assert (
        page.status_code == 200 and b"AttributeError" in page.content and b"retry" in page.content
    )
    RenderJob.objects.filter(pk=job.pk).update(
        input=services.voucher_payload(
            organization=org_a, voucher=document.raw, voucher_type="invoice"
        )
    )
    retried = client.post(
        reverse("rendering:retry", kwargs={"org_slug": org_a.slug, "code": job.code}),
        headers={"HX-Request": "true"},
    )
    assert retried.status_code == 200
    job.refresh_from_db()
    assert job.state == "pending" and job.error == ""
    assert render.render_job(job.pk) == "succeeded"


def test_document_page_preview_flow(org_a: Organization, client_for: Any, carol: Any) -> None:
    document = draft(org_a)
    client = client_for(carol)  # a viewer may look at a preview
    detail = client.get(
        reverse(
            "documents:detail", kwargs={"org_slug": org_a.slug, "lexware_id": document.lexware_id}
        )
    )
    assert b"render-preview" in detail.content
    started = client.post(
        reverse(
            "rendering:document_preview",
            kwargs={"org_slug": org_a.slug, "lexware_id": document.lexware_id},
        ),
        headers={"HX-Request": "true"},
    )
    assert started.status_code == 200 and b"every 1s" in started.content
    job = RenderJob.objects.get(document_lexware_id=document.lexware_id)
    render.render_job(job.pk)
    status = client.get(
        reverse("rendering:job", kwargs={"org_slug": org_a.slug, "code": job.code}),
        headers={"HX-Request": "true"},
    )
    assert b"<iframe" in status.content and b"every 1s" not in status.content
    inline = client.get(reverse("rendering:pdf", kwargs={"org_slug": org_a.slug, "code": job.code}))
    assert inline["Content-Type"] == "application/pdf"
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert MARK_DE in pdf_text(inline)


def test_draft_without_details_is_refused_with_a_reason(
    org_a: Organization, client_for: Any, alice: Any
) -> None:
    document = Document.objects.create(
        organization=org_a, lexware_id=uuid.uuid4(), voucher_type="invoice", status="draft"
    )
    response = client_for(alice).post(
        reverse(
            "rendering:document_preview",
            kwargs={"org_slug": org_a.slug, "lexware_id": document.lexware_id},
        ),
        headers={"HX-Request": "true"},
    )
    # htmx swaps only 2xx answers: the reason must arrive as one, in the panel's region.
    assert response.status_code == 200 and not RenderJob.objects.exists()
    assert 'id="render-unavailable"' in response.content.decode()
    assert "details have not been fetched" in response.content.decode()
    plain = client_for(alice).post(
        reverse(
            "rendering:document_preview",
            kwargs={"org_slug": org_a.slug, "lexware_id": document.lexware_id},
        )
    )
    assert plain.status_code == 409 and "details have not been fetched" in plain.content.decode()


def test_statement_of_open_items_downloads(org_a: Organization, client_for: Any, bob: Any) -> None:
    contact = Contact.objects.create(
        organization=org_a,
        lexware_id=uuid.uuid4(),
        name="Kunde Überfällig GmbH",
        is_customer=True,
        customer_number=10001,
        raw={"roles": {"customer": {"number": 10001}}},
    )
    now = timezone.now()
    for number, due, total in (
        ("RE-OVERDUE", now - timedelta(days=20), "119.00"),
        ("RE-CURRENT", now + timedelta(days=5), "59.50"),
    ):
        Document.objects.create(
            organization=org_a,
            lexware_id=uuid.uuid4(),
            voucher_type="invoice",
            status="open",
            voucher_number=number,
            voucher_date=now - timedelta(days=30),
            due_date=due,
            contact_lexware_id=contact.lexware_id,
            total_amount=Decimal(total),
            open_amount=Decimal(total),
        )
    client = client_for(bob)
    page = client.get(
        reverse(
            "contacts:detail", kwargs={"org_slug": org_a.slug, "lexware_id": contact.lexware_id}
        )
    )
    assert b"render-statement" in page.content
    started = client.post(
        reverse(
            "rendering:statement", kwargs={"org_slug": org_a.slug, "contact_id": contact.lexware_id}
        )
    )
    job = RenderJob.objects.get(kind="statement")
    assert started.status_code == 302 and str(job.code) in started["Location"]
    render.render_job(job.pk)
    download = client.get(
        reverse("rendering:download", kwargs={"org_slug": org_a.slug, "code": job.code})
    )
    assert "attachment" in download["Content-Disposition"]
    text = pdf_text(download)
    assert (
        "RE-OVERDUE" in text and "RE-CURRENT" in text and "€178.50" in text and "Total open" in text
    )


def test_editor_preview_from_the_current_input(
    org_a: Organization, client_for: Any, bob: Any
) -> None:
    url = reverse("sales:preview_pdf", kwargs={"org_slug": org_a.slug, "voucher_type": "invoice"})
    client = client_for(bob)
    incomplete = client.post(url, {"lines-TOTAL_FORMS": "0"}, headers={"HX-Request": "true"})
    assert incomplete.status_code == 200 and not RenderJob.objects.exists()
    assert "render-unavailable" in incomplete.content.decode()


def test_document_email_attaches_the_statement(org_a: Organization, alice: Any) -> None:
    from django.core import mail

    from portal.emails.sending import send_email
    from portal.emails.services import DocumentEmail, document_email_send
    from portal.files.storage import store_file

    contact = Contact.objects.create(
        organization=org_a, lexware_id=uuid.uuid4(), name="Kunde GmbH", is_customer=True
    )
    document = Document.objects.create(
        organization=org_a,
        lexware_id=uuid.uuid4(),
        voucher_type="invoice",
        status="open",
        version=1,
        voucher_number="RE-MAIL-1",
        voucher_date=timezone.now(),
        due_date=timezone.now() - timedelta(days=3),
        contact_lexware_id=contact.lexware_id,
        total_amount=Decimal("50.00"),
        open_amount=Decimal("50.00"),
    )
    store_file(document=document, version=1, kind="pdf", content=b"%PDF-1.4\n%%EOF\n")
    email = DocumentEmail(
        to=["kunde@example.org"],
        subject="Rechnung",
        body="Anbei.",
        include_link=False,
        attach_pdf=True,
        copy_to_me=False,
        link_expires_at=timezone.now() + timedelta(days=5),
        attach_statement=True,
    )
    outgoing = document_email_send(
        organization=org_a,
        document=document,
        user=alice,
        email=email,
        idempotency_key=str(uuid.uuid4()),
    )
    assert RenderJob.objects.get(kind="statement").state == "pending"
    assert send_email(outgoing.pk) == "sent"  # the worker draws the statement if it is not ready
    [message] = mail.outbox
    names = [name for name, _content, _type in message.attachments]
    assert len(names) == 2 and names[1].startswith(("Statement-", "Kontoauszug-"))
    statement = message.attachments[1][1]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(statement)).pages)
    assert "RE-MAIL-1" in text


def test_the_statement_attachment_is_named_in_the_statements_language() -> None:
    # Found walking the demo: a German dunning e-mail carried "statement-2026-11-28.pdf".
    from portal.emails.services import statement_filename

    today = timezone.localdate()
    assert statement_filename("de") == f"Kontoauszug-{today}.pdf"
    assert statement_filename("en") == f"Statement-{today}.pdf"


def test_customer_link_offers_the_statement_only_when_turned_on(
    org_a: Organization, client_for: Any, dave: Any, bob: Any
) -> None:
    from portal.core import crypto
    from portal.files.storage import store_file
    from portal.organizations.models import LexwareConnection
    from portal.sharing.services import share_link_create

    LexwareConnection.objects.create(
        organization=org_a, encrypted_api_key=crypto.encrypt("render-key"), key_last_four="-key"
    )
    contact = Contact.objects.create(
        organization=org_a, lexware_id=uuid.uuid4(), name="Kunde GmbH", is_customer=True
    )
    document = Document.objects.create(
        organization=org_a,
        lexware_id=uuid.uuid4(),
        voucher_type="invoice",
        status="open",
        version=1,
        voucher_number="RE-LINK-1",
        voucher_date=timezone.now(),
        due_date=timezone.now() + timedelta(days=3),
        contact_lexware_id=contact.lexware_id,
        total_amount=Decimal("20.00"),
        open_amount=Decimal("20.00"),
    )
    store_file(document=document, version=1, kind="pdf", content=b"%PDF-1.4\n%%EOF\n")
    _link, token = share_link_create(
        organization=org_a,
        document=document,
        user=bob,
        expires_at=timezone.now() + timedelta(days=5),
    )
    anonymous = client_for(None)
    # The token URL swaps the token for the link cookie (L6); the statement is token-free too.
    page = anonymous.get(reverse("public:share", kwargs={"token": token}), follow=True)
    assert page.status_code == 200 and b"/statement/" not in page.content
    url = reverse("public:statement", kwargs={"code": _link.code})
    assert anonymous.get(url).status_code == 404  # off by default
    setting = reverse("org:customer_link_settings", kwargs={"org_slug": org_a.slug})
    assert client_for(bob).post(setting, {"statement_on_customer_link": "on"}).status_code == 403
    assert client_for(dave).post(setting, {"statement_on_customer_link": "on"}).status_code == 302
    assert AuditEvent.objects.filter(action="org.customer_links").exists()
    page = anonymous.get(reverse("public:page", kwargs={"code": _link.code}))
    assert b"/statement/" in page.content
    preparing = anonymous.get(url)
    assert preparing.status_code == 503 and preparing["Retry-After"]
    render.render_job(RenderJob.objects.get(kind="statement").pk)
    ready = anonymous.get(url)
    assert ready.status_code == 200 and "RE-LINK-1" in pdf_text(ready)
    assert _link.accesses.filter(what="statement").count() == 1


def test_old_previews_are_pruned_with_their_files(org_a: Organization) -> None:
    from portal.files.storage import document_storage

    job = services.document_preview(organization=org_a, document=draft(org_a))
    render.render_job(job.pk)
    job.refresh_from_db()
    assert document_storage().exists(job.storage_name)
    assert services.prune_previews() == 0
    RenderJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert services.prune_previews() == 1
    assert not document_storage().exists(job.storage_name)
