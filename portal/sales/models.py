"""What the portal knows beyond Lexware about the documents its editor made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.operations.models import Operation
from portal.organizations.models import Organization


class DraftReplacement(models.Model):
    """A draft made in the portal and the finalized copy that replaces it (issue 11 item 3).

    Lexware cannot finalize a draft (§6.3): "finalize this draft" creates a new, finalized
    document through `operation`; once it succeeded, `operation.target_id` is the copy. The old
    draft stays in Lexware until someone deletes it there (deeplink, §5.24)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    draft_lexware_id = models.UUIDField(verbose_name=_("Draft"))
    draft_type = models.CharField(max_length=30)
    operation = models.OneToOneField(
        Operation, on_delete=models.CASCADE, related_name="draft_replacement"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "draft_lexware_id"], name="draftrepl_org_draft")
        ]

    def __str__(self) -> str:
        return f"{self.draft_type} {self.draft_lexware_id} → {self.operation.target_id or '…'}"

    @property
    def replacement_lexware_id(self) -> str:
        """The finalized copy's id, once Lexware made it."""
        return self.operation.target_id if self.operation.state == "succeeded" else ""
