"""Sending a document by e-mail: the row is written in the request's transaction, the sending
task is enqueued once it commits (DESIGN.md §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.contacts.models import Contact
from portal.documents.models import Document
from portal.documents.selectors import dunned_invoice
from portal.emails.compose import with_link, without_link
from portal.emails.models import EmailAttachment, OutgoingEmail
from portal.emails.queue import enqueue_email_on_commit
from portal.files.models import FileKind
from portal.files.selectors import has_file, latest_file
from portal.files.storage import download_filename
from portal.organizations.models import Organization
from portal.rendering import services as rendering
from portal.rendering.filenames import statement_filename
from portal.sharing.services import share_link_create


@dataclass(frozen=True)
class DocumentEmail:
    to: list[str]
    subject: str
    body: str
    include_link: bool
    attach_pdf: bool
    copy_to_me: bool
    link_expires_at: datetime
    attach_statement: bool = False


def _public_url(token: str) -> str:
    return settings.SITE_URL + reverse("public:share", kwargs={"token": token})


def linked_document(document: Document) -> Document:
    """What the customer link of an e-mail shows: the document, or for a dunning its invoice
    (the customer pays the invoice; a dunning's PDF may not exist: §5.3, §5.10)."""
    if document.voucher_type != "dunning":
        return document
    invoice = dunned_invoice(document=document)
    if invoice is None:
        raise ValidationError(
            _("The dunned invoice is not in the portal yet: the e-mail cannot link to it.")
        )
    return invoice


def document_email_send(
    *,
    organization: Organization,
    document: Document,
    user: User,
    email: DocumentEmail,
    idempotency_key: str,
) -> OutgoingEmail:
    """Queue one e-mail; the same idempotency key (a resubmitted form) returns the first."""
    existing = OutgoingEmail.objects.filter(
        organization=organization, idempotency_key=idempotency_key
    ).first()
    if existing is not None:
        return existing
    if not has_file(document):
        raise ValidationError(_("Only finalized documents can be sent: drafts have no PDF."))
    pdf = latest_file(document, FileKind.PDF) if email.attach_pdf else None
    if email.attach_pdf and pdf is None:
        raise ValidationError(_("The PDF has not been fetched from Lexware yet."))
    contact = statement_contact(organization=organization, document=document)
    if email.attach_statement and contact is None:
        raise ValidationError(_("The document's customer is not in the portal's contacts."))
    try:
        with transaction.atomic():
            body = email.body
            if email.include_link:
                _link, token = share_link_create(
                    organization=organization,
                    document=linked_document(document),
                    user=user,
                    expires_at=email.link_expires_at,
                )
                body = with_link(body, _public_url(token))
            else:
                body = without_link(body)
            outgoing = OutgoingEmail.objects.create(
                organization=organization,
                document=document,
                created_by=user,
                idempotency_key=idempotency_key,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=email.to,
                cc=[user.email] if email.copy_to_me else [],
                reply_to=[user.email],
                subject=email.subject,
                body=body,
            )
            if pdf is not None:
                EmailAttachment.objects.create(
                    email=outgoing, file=pdf, filename=download_filename(document, FileKind.PDF)
                )
            if email.attach_statement and contact is not None:
                language = str((document.raw or {}).get("language") or get_language() or "de")
                job = rendering.statement(
                    organization=organization, contact=contact, language=language, user=user
                )
                EmailAttachment.objects.create(
                    email=outgoing, render=job, filename=statement_filename(language)
                )
    except IntegrityError:
        # A concurrent submission of the same form won the race.
        return OutgoingEmail.objects.get(organization=organization, idempotency_key=idempotency_key)
    enqueue_email_on_commit(outgoing.pk)
    return outgoing


def statement_contact(*, organization: Organization, document: Document) -> Contact | None:
    if not document.contact_lexware_id:
        return None
    return Contact.objects.filter(
        organization=organization, lexware_id=document.contact_lexware_id, deleted_at__isnull=True
    ).first()
