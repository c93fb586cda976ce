"""Sending a document by e-mail (members and above) from its page: the form, prefilled from
the template of the document's type in the page's language, then the queued e-mail in the
document's history. No view talks to the SMTP server: a worker sends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.contacts.models import Contact
from portal.documents import selectors as documents
from portal.documents.models import Document
from portal.emails.compose import compose
from portal.emails.forms import DocumentEmailForm
from portal.emails.services import document_email_send
from portal.files.models import FileKind
from portal.files.selectors import files_failed, has_file, latest_file
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member
from portal.sharing.services import default_expiry


def contact_addresses(document: Document) -> list[str]:
    """The e-mail addresses of the document's contact in the mirror, business first."""
    if not document.contact_lexware_id:
        return []
    contact = Contact.objects.filter(
        organization=document.organization, lexware_id=document.contact_lexware_id
    ).first()
    if contact is None:
        return []
    found: list[str] = []
    groups = (contact.raw or {}).get("emailAddresses") or {}
    for kind in ("business", "office", "private", "other"):
        found += [str(a) for a in groups.get(kind) or [] if a]
    if contact.email:
        found.append(contact.email)
    return list(dict.fromkeys(found))


def _initial(document: Document) -> dict[str, Any]:
    pdf = latest_file(document, FileKind.PDF)
    subject, body = compose(
        document=document, language=translation.get_language() or "de", attached=pdf is not None
    )
    return {
        "idempotency_key": DocumentEmailForm.fresh_key(),
        "to": ", ".join(contact_addresses(document)),
        "subject": subject,
        "body": body,
        "include_link": True,
        "link_expires_on": timezone.localtime(default_expiry(document)).date(),
        "attach_pdf": pdf is not None,
    }


@require_http_methods(["GET", "POST"])
@require_member
def document_email(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    document = documents.document_detail(organization=request.organization, lexware_id=lexware_id)
    if request.method == "POST":
        form = DocumentEmailForm(request.POST)
        if form.is_valid() and has_file(document):
            try:
                document_email_send(
                    organization=request.organization,
                    document=document,
                    user=request.user,
                    email=form.email(),
                    idempotency_key=str(form.cleaned_data["idempotency_key"]),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The e-mail is queued and will be sent in a moment."))
                return redirect("documents:detail", org_slug=org_slug, lexware_id=lexware_id)
    else:
        form = DocumentEmailForm(initial=_initial(document))
    return render(
        request,
        "emails/document_email.html",
        {
            "document": document,
            "form": form,
            "sendable": has_file(document),
            "pdf": latest_file(document, FileKind.PDF),
            "dunning": document.voucher_type == "dunning",
            "files_failed": files_failed(document),
            "today_plus_max": timezone.localdate() + timedelta(days=120),
        },
    )
