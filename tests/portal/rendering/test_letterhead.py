"""The letterhead the organization entered (settings page) on previews and statements: its
values before the profile's, printed in the header, the sender line and the footer, part of
the cache key; statements named in the reader's language and pruned after a week."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.files.storage import document_storage
from portal.organizations.models import Membership, Organization
from portal.organizations.services import organization_letterhead_set
from portal.reference.models import ReferenceItem
from portal.rendering import render, selectors, services
from portal.rendering.models import RenderJob
from portal.rendering.statement_pdf import draw_statement
from portal.rendering.voucher_pdf import draw_voucher
from tests.portal.rendering.test_jobs import draft, pdf_text
from tests.portal.rendering.test_pdf import pages, voucher

pytestmark = pytest.mark.django_db

ENTERED = {
    "address_street": "Werkstraße 7",
    "address_zip": "80331",
    "address_city": "München",
    "address_country": "DE",
    "tax_number": "143/123/45678",
    "vat_id": "DE123456788",
    "managing_directors": "Alice Adler",
    "commercial_register": "Amtsgericht München, HRB 98765",
}


def enter(org: Organization, user: Any, **changes: str) -> None:
    organization_letterhead_set(
        actor=Membership.objects.get(user=user, organization=org), values={**ENTERED, **changes}
    )
    org.refresh_from_db()


def with_profile(org: Organization, **raw: Any) -> None:
    ReferenceItem.objects.create(
        organization=org,
        kind=ReferenceItem.Kind.PROFILE,
        key="profile",
        raw={"companyName": "Alpha aus Lexware GmbH", **raw},
    )


def test_the_organizations_entries_come_before_the_profile(org_a: Organization, alice: Any):
    with_profile(
        org_a,
        address={"street": "Profilweg 1", "zip": "10115", "city": "Berlin"},
        taxNumber="11/111/11111",
        vatRegistrationId="DE136695976",
    )
    head = selectors.letterhead(organization=org_a)
    # Nothing entered: the profile's values (where Lexware gives them), its company name.
    assert head["company"] == "Alpha aus Lexware GmbH"
    assert head["address_lines"] == ["Profilweg 1", "10115 Berlin"]
    assert (head["tax_number"], head["vat_id"]) == ("11/111/11111", "DE136695976")
    enter(org_a, alice, tax_number="")
    head = selectors.letterhead(organization=org_a)
    assert head["address_lines"] == ["Werkstraße 7", "80331 München"]
    assert head["vat_id"] == "DE123456788"
    assert head["tax_number"] == "11/111/11111"  # left empty here: the profile's
    assert head["managing_directors"] == "Alice Adler"
    assert head["company"] == "Alpha aus Lexware GmbH"  # the name stays Lexware's


def test_without_profile_or_entries_the_letterhead_is_the_name_alone(org_a: Organization):
    head = selectors.letterhead(organization=org_a)
    assert head["company"] == "Alpha Werkstatt GmbH"
    assert head["address_lines"] == [] and head["tax_number"] == head["vat_id"] == ""


def test_the_preview_prints_address_sender_line_and_legal_footer(
    org_a: Organization, alice: Any, client_for: Any
) -> None:
    enter(org_a, alice)
    Organization.objects.filter(pk=org_a.pk).update(
        iban="DE02120300000000202051", bank_account_holder="Alpha Werkstatt GmbH"
    )
    org_a.refresh_from_db()
    job = services.document_preview(organization=org_a, document=draft(org_a), user=alice)
    assert render.render_job(job.pk) == "succeeded"
    url = reverse("rendering:download", kwargs={"org_slug": org_a.slug, "code": job.code})
    text = pdf_text(client_for(alice).get(url))
    for expected in (
        "Werkstraße 7",
        "80331 München",
        # The small sender line above the recipient's window (DIN 5008).
        "Alpha Werkstatt GmbH · Werkstraße 7 · 80331 München",
        "Steuernummer 143/123/45678",
        "USt-IdNr. DE123456788",
        "Geschäftsführung: Alice Adler",
        "Amtsgericht München, HRB 98765",
        "IBAN DE02120300000000202051",
    ):
        assert expected in text, expected


def test_the_statement_prints_them_too_and_a_foreign_country_by_name(
    org_a: Organization, alice: Any
) -> None:
    enter(org_a, alice, address_zip="1010", address_city="Wien", address_country="AT")
    head = selectors.letterhead(organization=org_a)
    payload = {
        "kind": "statement",
        "language": "de",
        "letterhead": head,
        "recipient": {"name": "Kunde GmbH", "city": "Köln"},
        "as_of": "2026-11-28",
        "items": [],
        "total": "0",
    }
    [german] = pages(draw_statement(payload).content)
    assert "1010 Wien" in german and "Österreich" in german
    assert "143/123/45678" in german and "USt-IdNr. DE123456788" in german
    [english] = pages(draw_statement({**payload, "language": "en"}).content)
    assert "Austria" in english and "VAT ID DE123456788" in english
    assert "Managing directors: Alice Adler" in english


def test_long_lines_are_set_smaller_not_off_the_page() -> None:
    head = {
        "company": "Eine sehr lange Firmenbezeichnung Handwerk und Handel GmbH & Co. KG",
        "address_lines": ["Straße mit einem ausgesprochen langen Namen 123a", "80331 München"],
        "managing_directors": "Erika Mustermann, Max Mustermann, Maria Musterfrau, Moritz Muster",
        "commercial_register": "Amtsgericht München, HRB 987654",
        "tax_number": "143/123/45678",
        "vat_id": "DE123456788",
    }
    rendered = draw_voucher({"kind": "preview", "voucher": voucher(), "letterhead": head})
    [text] = pages(rendered.content)
    assert "Moritz Muster" in text and "USt-IdNr. DE123456788" in text
    assert rendered.pages == 1


def test_a_letterhead_change_makes_a_new_preview(
    org_a: Organization, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = draft(org_a)
    first = services.document_preview(organization=org_a, document=document)
    render.render_job(first.pk)
    first.refresh_from_db()
    assert services.document_preview(organization=org_a, document=document).pk == first.pk
    enter(org_a, alice)
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes after commit
        second = services.document_preview(organization=org_a, document=document)
    assert second.pk != first.pk and second.input_hash != first.input_hash
    assert second.input["letterhead"]["vat_id"] == "DE123456788"
    # The stale one (old letterhead) is gone with its file, so it is not served again.
    assert not RenderJob.objects.filter(pk=first.pk).exists()
    assert not document_storage().exists(first.storage_name)
    # The editor's preview of the same input also gets a new job.
    before = services.editor_preview(organization=org_a, voucher=voucher(), voucher_type="invoice")
    enter(org_a, alice, address_city="Augsburg", address_zip="86150")
    after = services.editor_preview(organization=org_a, voucher=voucher(), voucher_type="invoice")
    assert after.pk != before.pk


def statement_job(org: Organization, bob: Any) -> RenderJob:
    contact = Contact.objects.create(
        organization=org, lexware_id=uuid.uuid4(), name="Kunde GmbH", is_customer=True
    )
    Document.objects.create(
        organization=org,
        lexware_id=uuid.uuid4(),
        voucher_type="invoice",
        status="open",
        voucher_number="RE-NAME-1",
        voucher_date=timezone.now() - timedelta(days=3),
        due_date=timezone.now() + timedelta(days=3),
        contact_lexware_id=contact.lexware_id,
        total_amount=Decimal("10.00"),
        open_amount=Decimal("10.00"),
    )
    job = services.statement(organization=org, contact=contact, language="de", user=bob)
    render.render_job(job.pk)
    job.refresh_from_db()
    return job


def test_the_statement_download_is_named_in_the_pages_language(
    org_a: Organization, client_for: Any, bob: Any
) -> None:
    job = statement_job(org_a, bob)
    url = reverse("rendering:download", kwargs={"org_slug": org_a.slug, "code": job.code})
    day = timezone.localdate(job.created_at)
    german = client_for(bob).get(url, headers={"Accept-Language": "de"})
    assert f'filename="Kontoauszug-{day}.pdf"' in german["Content-Disposition"]
    english = client_for(bob).get(url)
    assert f'filename="Statement-{day}.pdf"' in english["Content-Disposition"]


def test_old_statements_are_pruned_with_their_files_unless_an_email_carried_one(
    org_a: Organization, bob: Any
) -> None:
    from portal.emails.models import EmailAttachment, OutgoingEmail

    kept, pruned, fresh = (statement_job(org_a, bob) for _ in range(3))
    assert len({kept.pk, pruned.pk, fresh.pk}) == 3
    email = OutgoingEmail.objects.create(
        organization=org_a,
        document=draft(org_a),
        idempotency_key="k1",
        from_email="portal@example.com",
        to=["kunde@example.org"],
        subject="Kontoauszug",
        body="Anbei.",
    )
    EmailAttachment.objects.create(email=email, render=kept, filename="Kontoauszug.pdf")
    eight_days = timezone.now() - timedelta(days=8)
    RenderJob.objects.filter(pk__in=[kept.pk, pruned.pk]).update(created_at=eight_days)
    RenderJob.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=6))
    assert services.prune_previews() == 1
    assert set(RenderJob.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert not document_storage().exists(pruned.storage_name)
    assert document_storage().exists(kept.storage_name)
    assert services.prune_previews() == 0
