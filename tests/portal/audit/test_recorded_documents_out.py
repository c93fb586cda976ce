"""The audit walk, continued (issue 15 item 3): share links created, reissued, opened and
revoked, e-mails sent, the API key's end date entered, console calls. Each action leaves its
event with who, organization and object, and never the link's token."""

# ruff: noqa: F811 (pytest fixtures imported from other conftests are parameters here)
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.audit.recorder import Action
from portal.documents.models import Document
from portal.emails.services import DocumentEmail, document_email_send
from portal.sharing.models import ShareLink
from portal.sharing.services import share_link_regenerate, share_link_revoke
from tests.portal.emails.conftest import smtp  # noqa: F401
from tests.portal.files.conftest import connected, invoice, lexware, no_follow_up  # noqa: F401
from tests.portal.sharing.conftest import (  # noqa: F401
    _fresh_throttle_counters,
    invoice_with_pdf,
    link_token,
)


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_share_links_created_reissued_opened_revoked(
    link_token: str,
    invoice_with_pdf: Document,
    bob: Any,
    client_for: Any,  # noqa: F811
) -> None:
    link = ShareLink.objects.get()
    (created,) = _events(Action.SHARE_LINK_CREATED)
    assert created.actor_id == bob.pk and created.organization_id == link.organization_id
    assert created.object_id == str(link.pk)
    # The token URL swaps the token for the link cookie and continues on the token-free page (L6).
    answer = client_for(None).get(f"/s/{link_token}/", REMOTE_ADDR="198.51.100.7", follow=True)
    assert answer.status_code == 200 and answer.redirect_chain
    (opened,) = _events(Action.SHARE_LINK_OPENED)
    assert opened.actor_id is None and opened.ip_prefix.startswith("198.51.100")
    token = share_link_regenerate(organization=link.organization, link=link, user=bob)
    assert _events(Action.SHARE_LINK_REGENERATED)[0].actor_id == bob.pk
    share_link_revoke(organization=link.organization, link=link, user=bob)
    share_link_revoke(organization=link.organization, link=link, user=bob)  # already revoked
    assert len(_events(Action.SHARE_LINK_REVOKED)) == 1
    everything = json.dumps(list(AuditEvent.objects.values("details", "object_repr", "object_id")))
    assert link_token not in everything and token not in everything


def test_an_email_sent_is_recorded_once(
    invoice_with_pdf: Document,  # noqa: F811
    alice: Any,
    smtp: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = document_email_send(
            organization=invoice_with_pdf.organization,
            document=invoice_with_pdf,
            user=alice,
            email=DocumentEmail(
                to=["Rechnung@Kunde.example"],
                subject="Rechnung",
                body="Guten Tag",
                include_link=False,
                attach_pdf=True,
                copy_to_me=False,
                link_expires_at=timezone.now() + timedelta(days=30),
            ),
            idempotency_key="audit-email-1",
        )
    email.refresh_from_db()
    assert email.state == "sent", email.error_message
    (sent,) = _events(Action.EMAIL_SENT)
    assert sent.actor_id == alice.pk and sent.organization_id == invoice_with_pdf.organization_id
    assert sent.details["to_domains"] == ["kunde.example"]
    assert sent.object_id == str(invoice_with_pdf.pk)
