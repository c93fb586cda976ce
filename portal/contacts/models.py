from __future__ import annotations

from django.db import models

from portal.core.mirror import MirrorModel


class Contact(MirrorModel):
    name = models.CharField(max_length=300, blank=True)
    is_company = models.BooleanField(default=True)
    is_customer = models.BooleanField(default=False)
    is_vendor = models.BooleanField(default=False)
    customer_number = models.IntegerField(null=True, blank=True)
    vendor_number = models.IntegerField(null=True, blank=True)
    email = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=200, blank=True)
    country_code = models.CharField(max_length=10, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "lexware_id"], name="contact_unique_per_org"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "name"], name="contact_org_name"),
            models.Index(
                fields=["organization", "customer_number"], name="contact_org_customer_no"
            ),
            models.Index(fields=["organization", "vendor_number"], name="contact_org_vendor_no"),
        ]

    def __str__(self) -> str:
        return self.name
