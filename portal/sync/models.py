from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.organizations.models import Organization


class SyncPart(models.Model):
    """Progress of one part of an organization's sync, shown on the sync status page."""

    class Name(models.TextChoices):
        REFERENCE = "reference", _("Reference data")
        CONTACTS = "contacts", _("Contacts")
        ARTICLES = "articles", _("Articles")
        VOUCHERLIST = "voucherlist", _("Documents and vouchers")
        RECURRING = "recurring", _("Recurring templates")
        DETAILS = "details", _("Document details")
        RECONCILE = "reconcile", _("Reconciliation")

    class Status(models.TextChoices):
        IDLE = "idle", _("Idle")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="sync_parts"
    )
    name = models.CharField(max_length=20, choices=Name.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.IDLE)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    api_calls = models.PositiveIntegerField(default=0)
    # Time spent writing rows into the mirror (the rest of a sync waits on Lexware's limit).
    write_seconds = models.FloatField(default=0)
    # Where the next step continues (e.g. voucherlist window and page).
    cursor = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Lexware updatedDate up to which everything is known (for reconciliation windows).
    synced_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="sync_part_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.name} {self.status}"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, int(self.done * 100 / self.total))

    @property
    def rate_per_second(self) -> float | None:
        if not self.started_at or not self.done:
            return None
        end = self.finished_at or timezone.now()
        seconds = (end - self.started_at).total_seconds()
        return self.done / seconds if seconds > 0 else None

    @property
    def eta_seconds(self) -> int | None:
        rate = self.rate_per_second
        if self.status != self.Status.RUNNING or not rate or not self.total:
            return None
        return max(0, int((self.total - self.done) / rate))


class WebhookEvent(models.Model):
    """One verified Lexware callback, stored once (duplicates are ignored, W4)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lexware_organization_id = models.UUIDField()
    event_type = models.CharField(max_length=60)
    resource_id = models.CharField(max_length=64)
    event_date = models.CharField(max_length=40)  # as sent; part of the duplicate key
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["lexware_organization_id", "event_type", "resource_id", "event_date"],
                name="webhook_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.resource_id}"


class Subscription(models.Model):
    """A Lexware event subscription we created (§5.11)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="subscriptions"
    )
    subscription_id = models.UUIDField()
    event_type = models.CharField(max_length=60)
    callback_url = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "event_type"], name="subscription_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.callback_url}"
