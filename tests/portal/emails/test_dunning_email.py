"""A dunning sent by e-mail (issue 14 item 3) with the dunning template: its PDF attached when
Lexware renders one, the customer link showing the dunned invoice.

Dunnings are always drafts (§5.10). `/file` answers drafts with 409 (§5.3) while the
deprecated `/document` renders dunnings although they are drafts; the simulator renders both.
The 409/406 faults play a Lexware that refuses: the worker falls back to `/document`, and when
that fails too the dunning has no PDF and the page says the e-mail carries the invoice's link
only."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lexware import key_fingerprint
from lexware.simulator.faults import Fault
from portal.core.mirror import api_dict
from portal.documents.fetch import fetch_document, refresh_document
from portal.documents.models import Document
from portal.emails.compose import compose
from portal.emails.models import EmailState, OutgoingEmail
from portal.files.handlers import fetch_document_files
from portal.files.models import DocumentFile
from portal.files.services import FILES_FETCH
from portal.operations.models import Operation, OperationState
from portal.receivables.bodies import dunning_body
from portal.sharing.models import ShareLink
from tests.portal.emails.test_send import _form_values, _send_url
from tests.portal.files.conftest import KEY


@pytest.fixture
def dunning(lexware: Any, org_a: Any, invoice: Document) -> Document:
    """A dunning pursued from the (overdue) invoice in Lexware, both in the mirror."""
    body = dunning_body(
        api_dict(lexware.invoices.get(str(invoice.lexware_id))),
        level=1,
        voucher_date=timezone.localdate().isoformat(),
    )
    created = lexware.dunnings.create(body, preceding_sales_voucher_id=str(invoice.lexware_id))
    refresh_document(
        client=lexware,
        organization=org_a,
        lexware_id=str(invoice.lexware_id),
        voucher_type="invoice",
    )
    document = fetch_document(
        client=lexware, organization=org_a, voucher_type="dunning", lexware_id=str(created.id)
    )
    assert document is not None and document.status == "draft"
    return document


def _calls(sim: Any, since: float, suffix: str) -> list[dict[str, Any]]:
    return [
        r for r in sim.requests_since(since, key_fingerprint(KEY)) if r["path"].endswith(suffix)
    ]


def test_the_dunning_template_names_the_invoice_in_both_languages(
    dunning: Document, invoice: Document
) -> None:
    invoice.refresh_from_db()
    subject, body = compose(document=dunning, language="de", attached=True)
    assert subject == f"Mahnung zur Rechnung {invoice.voucher_number} von Demo Werkstatt GmbH"
    assert "202,30 €" in body and "Die Mahnung finden Sie im Anhang." in body and "{link}" in body
    subject, body = compose(document=dunning, language="en", attached=False)
    assert subject == f"Reminder: invoice {invoice.voucher_number} from Demo Werkstatt GmbH"
    assert "€202.30" in body and "attached" not in body


def test_alice_sends_a_dunning_with_its_pdf_and_the_invoices_link(
    client_for: Any,
    alice: Any,
    lexware: Any,
    dunning: Document,
    invoice: Document,
    smtp: Any,
    sim: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    since = time.time()
    fetch_document_files(client=lexware, document=dunning)
    assert len(_calls(sim, since, "/file")) == 1 and not _calls(sim, since, "/document")
    stored = DocumentFile.objects.get(document=dunning)
    client = client_for(alice)
    page = client.get(_send_url(dunning), headers={"Accept-Language": "de"}).content.decode()
    data = _form_values(page)
    assert data["subject"].startswith(f"Mahnung zur Rechnung {invoice.voucher_number}")
    assert data["attach_pdf"] == "on" and data["include_link"] == "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_url(dunning), data)
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(document=dunning)
    assert email.state == EmailState.SENT
    (attachment,) = email.attachments.all()
    assert attachment.file_id == stored.pk
    assert attachment.filename == f"Dunning-{invoice.voucher_number}.pdf"
    link = ShareLink.objects.get()
    assert link.document_id == invoice.pk  # the customer pays the invoice: the link shows it
    (message,) = smtp.mailbox.messages
    assert message.get_content_type() == "multipart/mixed"
    assert "/s/" in email.body and "{link}" not in email.body


def test_a_dunning_lexware_refuses_to_render_is_sent_with_the_invoices_link_only(
    client_for: Any,
    alice: Any,
    lexware: Any,
    dunning: Document,
    invoice: Document,
    smtp: Any,
    sim: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    path = f"/v1/dunnings/{dunning.lexware_id}"
    # `/file` refuses the draft (§5.3): the worker asks the deprecated `/document` instead.
    sim.faults.add(KEY, Fault("409", count=1, path_prefix=f"{path}/file"))
    since = time.time()
    fetch_document_files(client=lexware, document=dunning)
    assert len(_calls(sim, since, "/document")) == 1
    assert DocumentFile.objects.filter(document=dunning, kind="pdf").count() == 1
    DocumentFile.objects.filter(document=dunning).delete()

    # Both refuse: the fetch fails with a reason, and the e-mail goes without the PDF.
    sim.faults.add(KEY, Fault("409", count=1, path_prefix=f"{path}/file"))
    sim.faults.add(KEY, Fault("406", count=1, path_prefix=f"{path}/document"))
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("files:fetch", kwargs={"org_slug": "alpha", "lexware_id": dunning.lexware_id})
        )
    operation = Operation.objects.filter(
        kind=FILES_FETCH, target_id=str(dunning.lexware_id)
    ).latest("created_at")
    assert operation.state == OperationState.FAILED
    assert "no PDF for this dunning" in operation.error_message
    page = client.get(_send_url(dunning), headers={"Accept-Language": "en"}).content.decode()
    assert "the e-mail carries the invoice" in page.replace("&#x27;", "'")
    data = _form_values(page)
    assert "attach_pdf" not in data and "attached" not in data["body"]
    data["attach_pdf"] = "on"  # asked for anyway: a field error, nothing sent
    response = client.post(_send_url(dunning), data)
    assert response.status_code == 200 and not OutgoingEmail.objects.exists()
    data.pop("attach_pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_send_url(dunning), data)
    email = OutgoingEmail.objects.get(document=dunning)
    assert email.state == EmailState.SENT and not email.attachments.exists()
    assert ShareLink.objects.get().document_id == invoice.pk
    assert len(smtp.mailbox.messages) == 1
