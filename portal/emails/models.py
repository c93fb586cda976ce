"""Outgoing e-mails about documents (DESIGN.md §8): one row per e-mail with the text exactly as
sent and its attachments (the stored document files, kept by version), for the GoBD archive
and the document's history. State: queued → sending → sent | failed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.files.models import DocumentFile
from portal.organizations.models import Organization


class EmailState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Handed to the SMTP server right now; a row left here by a lost worker is never sent
    # again blindly (it may have gone out): it is marked failed for a person to check.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="emails")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # One e-mail per submitted form (its one-time token): a double submit sends nothing twice.
    idempotency_key = models.CharField(max_length=64)
    from_email = models.CharField(max_length=300)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    message_id = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"], name="one_email_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.state})"


class EmailAttachment(models.Model):
    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    # The stored file itself (kept by document version): the archive needs no second copy.
    file = models.ForeignKey(
        DocumentFile, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Or a PDF the portal rendered (the customer's statement, issue 19); drawn by the worker
    # before the e-mail is sent if it is not ready yet.
    render = models.ForeignKey(
        "rendering.RenderJob", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    filename = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.filename
