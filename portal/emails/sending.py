"""The worker side: send one queued e-mail through Django's mail backend (SMTP in production,
console in the demo), exactly once.

- The row is claimed from `queued` under a lock and marked `sending` before the SMTP
  conversation, so two deliveries of the task never both send it.
- A temporary failure (connection refused or lost, SMTP 4xx) puts it back to `queued` and
  schedules another try with backoff; after MAX_ATTEMPTS, or on a permanent 5xx, it fails with
  the reason.
- A row found in `sending` (its worker died mid-conversation) is not sent again: the server
  may have accepted it. It fails with a message asking a person to check.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from portal.audit.recorder import Action, record
from portal.emails.models import EmailState, OutgoingEmail
from portal.emails.queue import enqueue_email
from portal.files.storage import document_storage
from portal.rendering.models import RenderJob, RenderState
from portal.rendering.render import render_job
from portal.rendering.storage import open_render

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A send that has not finished after this long is taken as lost (SMTP timeouts are shorter).
SENDING_LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> float:
    return float(min(600, 5 * 2 ** max(0, attempts - 1)))


def _claim(email_id: int) -> OutgoingEmail | None:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return None
        if (
            email.state == EmailState.SENDING
            and email.sending_since
            and (timezone.now() - email.sending_since > SENDING_LEASE)
        ):
            email.state = EmailState.FAILED
            email.error_message = (
                "Sending was interrupted; the e-mail may have been delivered. Please check "
                "with the recipient before sending it again."
            )
            email.save(update_fields=["state", "error_message"])
            return None
        if email.state != EmailState.QUEUED:
            return None
        email.state = EmailState.SENDING
        email.attempts += 1
        email.sending_since = timezone.now()
        if not email.message_id:
            domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "portal.invalid"
            email.message_id = make_msgid(idstring=email.code.hex, domain=domain)
        email.save(update_fields=["state", "attempts", "sending_since", "message_id"])
        return email


def _message(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={"Message-ID": email.message_id},
        connection=get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30),
    )
    for attachment in email.attachments.select_related("file", "render"):
        if attachment.render is not None:
            message.attach(attachment.filename, rendered_pdf(attachment.render), "application/pdf")
            continue
        if attachment.file is None:
            continue
        with document_storage().open(attachment.file.storage_name, "rb") as handle:
            message.attach(attachment.filename, handle.read(), attachment.file.media_type)
    return message


def rendered_pdf(job: RenderJob) -> bytes:
    """A rendered attachment; drawn here, in the worker, when its own task has not yet."""
    if not job.succeeded:
        # A failed render gets one more try here; a queued one is drawn now (its own task
        # then finds it done and skips).
        RenderJob.objects.filter(pk=job.pk, state=RenderState.FAILED).update(
            state=RenderState.PENDING, error=""
        )
        render_job(job.pk)
        job.refresh_from_db()
    if not job.succeeded:
        raise RenderFailed(job.error or "the statement is still being rendered")
    with open_render(job) as handle:
        return bytes(handle.read())


class RenderFailed(Exception):
    """A rendered attachment could not be drawn: the e-mail fails with the reason."""


def _temporary(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError))


def send_email(email_id: int) -> str:
    email = _claim(email_id)
    if email is None:
        return "skipped"
    try:
        _message(email).send(fail_silently=False)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:500]
        if _temporary(exc) and email.attempts < MAX_ATTEMPTS:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                state=EmailState.QUEUED, sending_since=None, error_message=reason
            )
            logger.warning("e-mail %s: temporary failure, retrying (%s)", email.pk, reason)
            enqueue_email(email.pk, countdown=retry_delay(email.attempts))
            return "retry"
        OutgoingEmail.objects.filter(pk=email.pk).update(
            state=EmailState.FAILED, sending_since=None, error_message=reason
        )
        logger.warning("e-mail %s failed: %s", email.pk, reason)
        return "failed"
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=EmailState.SENT, sent_at=timezone.now(), sending_since=None, error_message=""
    )
    try:
        record(
            Action.EMAIL_SENT,
            actor=email.created_by,
            system=email.created_by_id is None,
            organization=email.organization,
            object_type="document",
            object_id=email.document_id,
            object_repr=email.subject[:200],
            details={
                "to_domains": sorted({a.rpartition("@")[2].lower() for a in email.to}),
                "message_id": email.message_id,
            },
        )
    except Exception:  # the e-mail is sent; a missing audit line must not make it "retry"
        logger.warning("e-mail %s: audit event not recorded", email.pk, exc_info=True)
    return "sent"


def sweep_queued(now: object = None) -> int:
    """Queued e-mails whose task was lost (broker down at enqueue) are enqueued again."""
    stale = timezone.now() - timedelta(minutes=5)
    ids = list(
        OutgoingEmail.objects.filter(state=EmailState.QUEUED, created_at__lt=stale).values_list(
            "pk", flat=True
        )[:500]
    )
    for pk in ids:
        enqueue_email(pk)
    return len(ids)
