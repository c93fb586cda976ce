"""Customer links: capabilities for one finalized document, not logins (DESIGN.md §2.8).

Only the SHA-256 of the 256-bit token is stored (reliability.md L1); the token itself is
shown once, when it is made. Every visit is logged with an IP prefix, never the full address.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.documents.models import Document
from portal.organizations.models import Organization


class ShareLink(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # A new token for the same link (the old one stops working at once).
    regenerated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link {self.code} for {self.document}"

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"


class AccessKind(models.TextChoices):
    PAGE = "page", _("Page")
    PDF = "pdf", _("PDF download")
    PREVIEW = "preview", _("PDF preview")
    XML = "xml", _("XML download")
    STATEMENT = "statement", _("Statement download")


class ShareAccess(models.Model):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField(default=timezone.now)
    # The network, not the person: /24 for IPv4, /48 for IPv6.
    ip_prefix = models.CharField(max_length=50, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    what = models.CharField(max_length=10, choices=AccessKind.choices)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["link", "-at"], name="share_access_link_at")]

    def __str__(self) -> str:
        return f"{self.what} at {self.at:%Y-%m-%d %H:%M}"
