"""PDFs the portal renders itself in a worker (issue 19): draft previews and customer
statements. Lexware renders no draft (§5.3: 409) and keeps no statement.

A job holds the complete input it is drawn from (a snapshot taken when it was asked for) and
that input's SHA-256: the same input asked for again gets the finished job back instead of a
new render. A preview of a mirrored draft is dropped when the draft changes (receivers.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.organizations.models import Organization


class RenderKind(models.TextChoices):
    PREVIEW = "preview", _("Draft preview")
    STATEMENT = "statement", _("Statement")


class RenderState(models.TextChoices):
    PENDING = "pending", _("Queued")
    RUNNING = "running", _("Rendering")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")


class RenderJob(models.Model):
    # Public id for URLs (DESIGN.md §2 principle 6).
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=RenderKind.choices)
    # What it is of: a mirrored document (its Lexware id) or a contact (statements); editor
    # previews have neither.
    document_lexware_id = models.UUIDField(null=True, blank=True)
    contact_lexware_id = models.UUIDField(null=True, blank=True)
    # The mirrored draft's Lexware version the preview was made from.
    source_version = models.IntegerField(null=True, blank=True)
    input = models.JSONField(default=dict)
    input_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=16, choices=RenderState.choices, default="pending")
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    storage_name = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "input_hash"], name="render_org_hash"),
            models.Index(fields=["organization", "document_lexware_id"], name="render_org_doc"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in (RenderState.PENDING, RenderState.RUNNING)

    @property
    def succeeded(self) -> bool:
        return self.state == RenderState.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.state == RenderState.FAILED
