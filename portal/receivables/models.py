"""The receivables area keeps no mirror of its own: open amounts, due dates and payments are
the documents mirror's (portal.documents). It stores only what the organization decides about
its dunning runs, and each run's selection (for its progress bar)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_DUNNING_INTERVAL_DAYS = 14


class ReceivablesSettings(models.Model):
    """One row per organization, created on first use with the defaults."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # An overdue invoice dunned within this many days is not offered again in a dunning run.
    dunning_interval_days = models.PositiveSmallIntegerField(
        _("days between two dunnings"),
        default=DEFAULT_DUNNING_INTERVAL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )

    def __str__(self) -> str:
        return f"receivables settings of organization {self.organization_id}"


class DunningRun(models.Model):
    """One click on "create dunnings": its operations carry its code in their input."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # How many invoices were selected (each one operation, or a skipped duplicate).
    invoice_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"dunning run {self.code}"
