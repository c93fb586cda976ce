from __future__ import annotations

from django.db import models

from portal.core.mirror import MirrorModel


class Article(MirrorModel):
    title = models.CharField(max_length=300, blank=True)
    article_number = models.CharField(max_length=100, blank=True)
    gtin = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=20, blank=True)
    unit_name = models.CharField(max_length=100, blank=True)
    net_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    gross_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    tax_rate = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "lexware_id"], name="article_unique_per_org"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "title"], name="article_org_title"),
            models.Index(fields=["organization", "article_number"], name="article_org_number"),
        ]

    def __str__(self) -> str:
        return self.title
