"""Reference data mirrored from Lexware (§5.6, §5.16–5.19)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.organizations.models import Organization


class ReferenceItem(models.Model):
    """Reference data (countries, payment conditions, posting categories, print layouts,
    profile) as Lexware returns it: bare arrays, one row per entry (§5.6, 5.16–5.19)."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        PAYMENT_CONDITION = "payment_condition", _("Payment condition")
        POSTING_CATEGORY = "posting_category", _("Posting category")
        PRINT_LAYOUT = "print_layout", _("Print layout")
        PROFILE = "profile", _("Profile")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=64)  # countryCode or id
    name = models.CharField(max_length=300, blank=True)
    raw = models.JSONField(default=dict)
    synced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        # The table keeps the name it had when the model lived in the sync app.
        db_table = "sync_referenceitem"
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "key"], name="reference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name or self.key}"
