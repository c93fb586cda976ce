""" "This link has expired — send me a new one" (issue 12 item 3, reliability.md L8): only the
contact's address on file gets a fresh link, by e-mail through a real SMTP server (aiosmtpd);
the answer is the same whatever was typed; throttled per network and per link."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.emails.models import OutgoingEmail
from portal.sharing.models import ShareLink
from portal.sharing.tokens import token_hash
from tests.portal.emails.conftest import smtp  # noqa: F401
from tests.portal.sharing.test_public import _body

ON_FILE = "rechnung@hafenkontor.example"  # the invoice contact's business address


def _expire(token: str) -> None:
    ShareLink.objects.filter(token_hash=token_hash(token)).update(
        expires_at=timezone.now() - timedelta(days=1)
    )


def _ask(client: Client, token: str, email: str) -> str:
    response = client.post(f"/s/{token}/renew/", {"email": email})
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    return _body(response)


def test_the_expired_page_offers_the_form_and_the_contact_gets_a_fresh_link(
    link_token,
    invoice_with_pdf,
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    _expire(link_token)
    client = Client()
    page = client.get(f"/s/{link_token}/")
    html = page.content.decode()
    assert page.status_code == 404 and 'action="renew/"' in html and 'name="email"' in html
    assert link_token not in html
    with django_capture_on_commit_callbacks(execute=True):
        answer = _ask(client, link_token, ON_FILE.upper())
    assert "on its way" in answer or "unterwegs" in answer
    email = OutgoingEmail.objects.get()
    assert email.to == [ON_FILE] and email.state == "sent" and email.created_by is None
    new_url = re.search(r"https?://\S+/s/([A-Za-z0-9_-]{43})/", email.body)
    assert new_url, email.body
    assert smtp.mailbox.envelopes[0][1] == [ON_FILE]
    assert Client().get(f"/s/{new_url.group(1)}/", follow=True).status_code == 200
    assert ShareLink.objects.count() == 2
    assert AuditEvent.objects.filter(action="share_link.resent").count() == 1


def test_another_address_an_unknown_or_revoked_token_get_the_same_answer_and_no_mail(
    link_token, invoice_with_pdf, django_capture_on_commit_callbacks
) -> None:
    _expire(link_token)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        reference = _ask(client, link_token, "someone@else.example")
        assert _ask(client, secrets.token_urlsafe(32), ON_FILE) == reference
        ShareLink.objects.update(revoked_at=timezone.now())  # revoked by staff: no new link
        assert _ask(client, link_token, ON_FILE) == reference
    assert not OutgoingEmail.objects.exists() and ShareLink.objects.count() == 1


def test_a_bad_address_is_shown_on_its_field(link_token, invoice_with_pdf) -> None:
    _expire(link_token)
    for value in ("", "not-an-address", "a@b.c\r\nBcc: x@y.z", "<script>x</script>@x.de"):
        response = Client().post(f"/s/{link_token}/renew/", {"email": value})
        html = response.content.decode()
        assert response.status_code == 200 and 'id="id_email_error"' in html, value
        assert "<script>x" not in html
    assert not OutgoingEmail.objects.exists()


def test_renewals_are_throttled_per_network_and_per_link(
    link_token, invoice_with_pdf, settings, django_capture_on_commit_callbacks
) -> None:
    settings.SHARE_LINK_RENEWALS_PER_IP = "5/h"
    settings.SHARE_LINK_RENEWALS_PER_LINK = "2/d"
    _expire(link_token)
    with django_capture_on_commit_callbacks(execute=False):
        answers = {
            _ask(Client(REMOTE_ADDR=f"198.51.100.{n}"), link_token, ON_FILE) for n in range(6)
        }
    assert len(answers) == 1  # throttled or not, the same answer
    assert OutgoingEmail.objects.count() == 2  # per link
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(8):
            _ask(guesser, secrets.token_urlsafe(32), ON_FILE)
    assert OutgoingEmail.objects.count() == 2


def test_get_on_the_renewal_address_is_refused(link_token) -> None:
    assert Client().get(f"/s/{link_token}/renew/").status_code == 405
