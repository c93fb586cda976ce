"""An import job and its rows. The file itself is not kept: its rows are, as text, with what
the preview found, and each row sent becomes one Operation (the outbox does the sending)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.operations.models import Operation
from portal.organizations.models import Organization


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        CONTACTS = "contacts", _("Contacts")
        ARTICLES = "articles", _("Articles")

    class State(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")
        DISCARDED = "discarded", _("Discarded")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PREVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    # The uploaded file's shape, so the error file comes back in the same one.
    file_format = models.CharField(max_length=8)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    headings = models.JSONField(default=list)
    unknown_headings = models.JSONField(default=list, blank=True)
    # The language of the page that started it: messages written later use it too.
    language = models.CharField(max_length=8, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the feeder last ran: a running job whose feeder went quiet is fed again.
    pumped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="import_org_created")]

    def __str__(self) -> str:
        return f"{self.kind} import {self.code} ({self.state})"

    def idempotency_key(self, number: int) -> str:
        """One Operation per (job, row), whoever feeds the row and however often: a row's
        create is never sent twice (DESIGN.md §7)."""
        return f"import:{self.code}:{number}"


class ImportRow(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        # A matched row the user chose to update (import_start turns SKIP into UPDATE).
        UPDATE = "update", _("Update (exists)")
        SKIP = "skip", _("Skip (exists)")
        INVALID = "invalid", _("Has errors")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        SENT = "sent", _("Sent")
        NOT_SENT = "not_sent", _("Not sent")
        CANCELLED = "cancelled", _("Cancelled")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    # The row's line in the file (the headings are line 1).
    number = models.PositiveIntegerField()
    cells = models.JSONField(default=list)
    data = models.JSONField(default=dict)
    errors = models.JSONField(default=list, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # The existing record a row matched (customer or article number), skipped or updated.
    matched_id = models.CharField(max_length=64, blank=True)
    operation = models.OneToOneField(
        Operation, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_row"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_row_unique_number")
        ]
        indexes = [models.Index(fields=["job", "status"], name="import_row_job_status")]

    def __str__(self) -> str:
        return f"row {self.number} of {self.job_id}"
