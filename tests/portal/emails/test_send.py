"""Sending a document by e-mail (issue 12 item 4) through a real SMTP server (aiosmtpd):
the form prefilled from the German template and the contact's addresses, the customer link
and the PDF in the mail, the e-mail archived with its text and attachment and shown in the
document's history; never sent twice for one request; SMTP down then back → sent once."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from portal.documents.models import Document
from portal.emails.models import EmailState, OutgoingEmail
from portal.emails.sending import send_email
from portal.files.handlers import fetch_document_files
from portal.sharing.models import ShareLink


def _send_url(document: Document) -> str:
    return reverse("emails:send", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id})


def _detail(document: Document) -> str:
    return reverse(
        "documents:detail", kwargs={"org_slug": "alpha", "lexware_id": document.lexware_id}
    )


def _form_values(html: str) -> dict[str, str]:
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', html, re.S)
    values["body"] = body.group(1).strip() if body else ""
    for box in ("include_link", "attach_pdf"):
        if re.search(rf'name="{box}"[^>]*checked', html):
            values[box] = "on"
    values.pop("csrfmiddlewaretoken", None)
    return values


def test_alice_sends_an_invoice_with_link_and_pdf_once(
    client_for, alice, lexware, invoice, smtp, django_capture_on_commit_callbacks
) -> None:
    fetch_document_files(client=lexware, document=invoice)
    client = client_for(alice)
    page = client.get(_send_url(invoice), headers={"Accept-Language": "de"}).content.decode()
    data = _form_values(page)
    assert data["to"] == "rechnung@hafenkontor.example"  # the contact's address from the mirror
    assert data["subject"] == f"Rechnung {invoice.voucher_number} von Demo Werkstatt GmbH"
    assert "{link}" in data["body"] and data["include_link"] == "on" and data["attach_pdf"] == "on"
    data["copy_to_me"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_url(invoice), data)
    assert response.status_code == 302 and response["Location"] == _detail(invoice)
    email = OutgoingEmail.objects.get()
    assert email.state == EmailState.SENT and email.attempts == 1
    # The same form again (a double click, a reload): nothing is sent twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_url(invoice), data)
    assert OutgoingEmail.objects.count() == 1 and ShareLink.objects.count() == 1
    assert len(smtp.mailbox.messages) == 1
    message = smtp.mailbox.messages[0]
    assert smtp.mailbox.envelopes[0][1] == ["rechnung@hafenkontor.example", alice.email]
    assert message["Subject"] == email.subject
    assert str(message["Message-ID"]).strip() == email.message_id
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/s/([A-Za-z0-9_-]{43})/", text)
    assert link and "{link}" not in text
    attachments = list(message.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    assert attachments[0].get_content().startswith(b"%PDF")
    # The archive keeps the text as sent; the link opens without a login.
    assert email.body == text.replace("\r\n", "\n") or link.group(0) in email.body
    assert client_for(None).get(f"/s/{link.group(1)}/", follow=True).status_code == 200
    history = client.get(_detail(invoice)).content.decode()
    assert email.subject in history and ("Gesendet" in history or "Sent" in history)


def test_smtp_down_then_back_sends_once(
    client_for, bob, lexware, invoice, smtp, email_retries, django_capture_on_commit_callbacks
) -> None:
    fetch_document_files(client=lexware, document=invoice)
    client = client_for(bob)
    data = _form_values(client.get(_send_url(invoice)).content.decode())
    smtp.stop()  # the mail server is down
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_url(invoice), data)
    email = OutgoingEmail.objects.get()
    assert email.state == EmailState.QUEUED and email.error_message
    assert email_retries == [email.pk]  # a retry is scheduled, nothing lost
    history = client.get(_detail(invoice)).content.decode()
    assert "Eingereiht" in history or "Queued" in history
    smtp.start()  # back
    assert send_email(email.pk) == "sent"
    assert send_email(email.pk) == "skipped"  # a duplicate delivery of the task sends nothing
    email.refresh_from_db()
    assert email.state == EmailState.SENT and email.attempts == 2
    assert len(smtp.mailbox.messages) == 1


def test_a_permanent_refusal_fails_with_the_reason(
    client_for, bob, lexware, invoice, smtp, email_retries, django_capture_on_commit_callbacks
) -> None:
    fetch_document_files(client=lexware, document=invoice)
    client = client_for(bob)
    data = _form_values(client.get(_send_url(invoice)).content.decode())
    smtp.mailbox.refuse = "550 5.1.1 No such user here"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_url(invoice), data)
    email = OutgoingEmail.objects.get()
    assert email.state == EmailState.FAILED and "No such user" in email.error_message
    assert email_retries == []
    assert "No such user" in client.get(_detail(invoice)).content.decode()


def test_an_interrupted_send_is_never_repeated_blindly(invoice, bob) -> None:
    email = OutgoingEmail.objects.create(
        organization=invoice.organization,
        document=invoice,
        created_by=bob,
        idempotency_key="interrupted",
        from_email="a@example.org",
        to=["b@example.org"],
        subject="s",
        body="b",
        state=EmailState.SENDING,
        sending_since=timezone.now() - timedelta(hours=1),
    )
    assert send_email(email.pk) == "skipped"
    email.refresh_from_db()
    assert email.state == EmailState.FAILED and "may have been delivered" in email.error_message


def test_without_a_fetched_pdf_the_attachment_is_refused_on_the_form(
    client_for, bob, invoice, smtp
) -> None:
    client = client_for(bob)
    data = _form_values(client.get(_send_url(invoice)).content.decode())
    assert "attach_pdf" not in data  # not offered checked: no PDF yet
    data["attach_pdf"] = "on"
    html = client.post(_send_url(invoice), data).content.decode()
    assert "alert--error" in html and not OutgoingEmail.objects.exists()


def test_viewers_see_the_history_but_no_send_button(client_for, carol, invoice) -> None:
    html = client_for(carol).get(_detail(invoice)).content.decode()
    assert _send_url(invoice) not in html
    assert client_for(carol).get(_send_url(invoice)).status_code == 403


def test_link_only_mail_needs_no_pdf(
    client_for, bob, invoice, smtp, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(bob)
    data = _form_values(client.get(_send_url(invoice)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_url(invoice), data)
    message = smtp.mailbox.messages[0]
    assert list(message.iter_attachments()) == []
    assert "/s/" in message.get_body(preferencelist=("plain",)).get_content()
