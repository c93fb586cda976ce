"""What happened, kept where operators and admins can see it (issue 15).

- AuditEvent: the append-only audit trail. Nobody edits or deletes a row: the model refuses,
  the admin is read-only, and the database itself refuses UPDATE and DELETE (migration 0002).
- LexwareCall: our own request log of Lexware answers (status, latency) per organization,
  written by the client's transport in the worker; pruned after a few days.
- ScheduleRun: when each periodic task was last sent by beat and last run by a worker.

This app sits just above portal.core in the layers so that every app can record. It refers to
users, organizations and operations by string foreign keys without database constraints: a
deleted user or organization leaves its events (and their labels) untouched.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised for any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")


def _no_constraint_fk(to: str, **kwargs: Any) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("Time"))
    # Who: a person (the signed-in user), or nobody for the system (beat, worker, webhooks).
    actor = _no_constraint_fk("accounts.User", verbose_name=_("Who"))
    actor_label = models.CharField(max_length=254, blank=True)
    # An operator acting (e.g. resolving an operation) is marked, whatever the organization.
    actor_is_operator = models.BooleanField(default=False)
    organization = _no_constraint_fk("organizations.Organization", verbose_name=_("Organization"))
    organization_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60, db_index=True, verbose_name=_("Action"))
    # The object acted on: ("membership", "12", "bob@example.org"), ("contact", "<uuid>", "").
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    operation = _no_constraint_fk("operations.Operation", verbose_name=_("Operation"))
    # The first address bytes only (IPv4 /24, IPv6 /48): enough to tell places apart.
    ip_prefix = models.CharField(max_length=50, blank=True, verbose_name=_("Network"))
    # Never a secret: record() drops keys that look like one (keys, tokens, passwords).
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-at"], name="audit_org_at"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.actor_label or '-'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")

    @property
    def action_label(self) -> str:
        from portal.audit.recorder import action_label

        return action_label(self.action)


class LexwareCall(models.Model):
    """One HTTP exchange with Lexware (or a transport error: status 0)."""

    organization = _no_constraint_fk("organizations.Organization")
    operation = _no_constraint_fk("operations.Operation")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    lane = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["organization", "-at"], name="lexware_call_org_at")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


class ScheduleRun(models.Model):
    """The last time beat sent a periodic task and a worker ran it (one row per task name)."""

    task = models.CharField(max_length=100, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["task"]

    def __str__(self) -> str:
        return self.task


class SupportSession(models.Model):
    """An operator looking at an organization "as" a viewer for support (issue 15 item 4):
    read-only, with a stated reason, until `expires_at` or until ended. Starting and ending
    it and every page seen are in the organization's audit trail."""

    operator = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"support {self.operator_id} → {self.organization_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()


class ErrorEvent(models.Model):
    """An unhandled exception in a web request or a worker task (issue 15 item 7), grouped by
    fingerprint (where, type, the innermost frame, the path or task): a repeat counts up
    instead of adding a row. Message and traceback have secrets scrubbed before storing."""

    fingerprint = models.CharField(max_length=64, unique=True)
    where = models.CharField(max_length=10)  # "web" or "worker"
    exception_type = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    # The request's path (no query string) or the task's name.
    context = models.CharField(max_length=300, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.where}: {self.exception_type} ×{self.count}"
