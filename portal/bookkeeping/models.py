"""Receipt files of bookkeeping vouchers (lexware-api.md §5.12, §5.23).

A `Receipt` holds the bytes of one file: dropped on the vouchers page (an upload that makes a
voucher by Lexware's OCR), attached to an existing voucher, or downloaded from Lexware to be
shown. The bytes are stored in the same transaction as the operation that sends them, so a
file the user dropped is never lost between the request and the worker, and an upload that is
retried sends the stored bytes, not a second copy from the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.operations.models import Operation
from portal.organizations.models import Organization


class Receipt(models.Model):
    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded receipt")
        ATTACH = "attach", _("Attached to a voucher")
        LEXWARE = "lexware", _("From Lexware")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    media_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Lexware's ids, once the upload (or the attachment) was confirmed or adopted.
    file_id = models.UUIDField(null=True, blank=True)
    voucher_id = models.UUIDField(null=True, blank=True)
    # The latest operation that sends this file (a retry makes a new one).
    operation = models.ForeignKey(
        Operation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # The portal's own checksum dedupe: one upload per content and organization.
            models.UniqueConstraint(
                fields=["organization", "sha256"],
                condition=models.Q(source="upload"),
                name="receipt_upload_once_per_content",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "voucher_id"], name="receipt_org_voucher"),
            models.Index(fields=["organization", "file_id"], name="receipt_org_file"),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"

    @property
    def is_image(self) -> bool:
        return self.media_type in ("image/png", "image/jpeg")
