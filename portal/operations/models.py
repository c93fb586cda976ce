"""The outbox: every Lexware call started by a user or a schedule is an Operation row.

The row is written in the request's transaction and the task is enqueued on commit, so a
rolled-back request enqueues nothing and a committed one is never forgotten: if the broker
loses the message, the sweeper finds the row still pending and enqueues it again.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.operations.registry import KINDS, operation_label
from portal.organizations.models import Organization


class OperationState(models.TextChoices):
    PENDING = "pending", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")
    # A create that may have reached Lexware without us seeing the answer: never re-sent
    # blindly; the reconciler looks for the created document first.
    UNKNOWN = "unknown", _("Checking outcome")


TERMINAL_STATES = (OperationState.SUCCEEDED, OperationState.FAILED)


class Lane(models.TextChoices):
    INTERACTIVE = "interactive", _("Interactive")
    BULK = "bulk", _("Bulk")


class Operation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="operations"
    )
    kind = models.CharField(max_length=60)
    lane = models.CharField(max_length=12, choices=Lane.choices, default=Lane.INTERACTIVE)
    # What the operation acts on, in Lexware terms ("contact", "<uuid>"), when known.
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # What the user typed (never a secret), kept so a failed write can be corrected and resent.
    input = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=10, choices=OperationState.choices, default=OperationState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error_message = models.TextField(blank=True)
    field_errors = models.JSONField(default=dict, blank=True)
    # When the outcome is unknown: what the reconciler is checking, and its findings.
    reconciliation = models.JSONField(default=dict, blank=True)
    # One operation per user intent: a double-submitted form reuses the first row (R12).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Not to be run before this time (a retry after a rate limit or an outage).
    not_before = models.DateTimeField(null=True, blank=True)
    # Write kinds: when Lexware confirmed the one write. From then on only the read-back
    # phase runs; the write itself is never sent again (DESIGN.md §7).
    written_at = models.DateTimeField(null=True, blank=True)
    # Write kinds: when the write request was handed to the network (after the limiter's
    # permit). While it is empty, a lost worker surely sent nothing: the write runs again
    # instead of being reconciled.
    sending_at = models.DateTimeField(null=True, blank=True)
    # The language the operation was started in: its stored messages are written in it.
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "updated_at"], name="operation_state_updated"),
            models.Index(fields=["organization", "-created_at"], name="operation_org_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_operation_per_idempotency_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def is_active(self) -> bool:
        return self.state in (
            OperationState.PENDING,
            OperationState.RUNNING,
            OperationState.UNKNOWN,
        )

    def queue_position(self) -> int:
        """How many pending operations of this organization's lane come before this one."""
        if self.state != OperationState.PENDING:
            return 0
        return (
            Operation.objects.filter(
                organization_id=self.organization_id,
                lane=self.lane,
                state=OperationState.PENDING,
                created_at__lt=self.created_at,
            ).count()
            + 1
        )

    @property
    def kind_label(self) -> str:
        return operation_label(self)

    def result_url(self) -> str | None:
        """Where the user finds what a finished operation made or refreshed (the kind says)."""
        kind = KINDS.get(self.kind)
        if self.state != OperationState.SUCCEEDED or kind is None or kind.result_url is None:
            return None
        return kind.result_url(self)

    @property
    def is_editable(self) -> bool:
        """Its write was never confirmed: the user may correct the input and send it again."""
        return self.written_at is None and self.state in (
            OperationState.PENDING,
            OperationState.FAILED,
        )

    @property
    def conflict(self) -> dict[str, Any] | None:
        """An edit that found the record changed in Lexware (portal/operations/edits.py): a
        failed operation whose result holds {"remote": record, "paths": [...]}."""
        if self.state != OperationState.FAILED:
            return None
        conflict = (self.result or {}).get("conflict")
        return conflict if isinstance(conflict, dict) else None

    def edit_url(self) -> str | None:
        """The form this operation came from, reopened with its input (the kind says where)."""
        from portal.operations.registry import KINDS

        kind = KINDS.get(self.kind)
        if not self.is_editable or kind is None or kind.edit_url is None:
            return None
        return kind.edit_url(self)
