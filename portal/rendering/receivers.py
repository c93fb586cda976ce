"""A draft that changed in Lexware makes its previews wrong: they are dropped (with their
files) as soon as the mirror fetched the new state; the next "Preview PDF" renders anew."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from portal.documents.models import Document
from portal.documents.signals import document_refreshed
from portal.organizations.models import Organization
from portal.rendering.models import RenderJob, RenderKind
from portal.rendering.services import drop_previews


@receiver(document_refreshed)
def drop_changed_previews(
    sender: Any, *, organization: Organization, document: Document, **kwargs: Any
) -> None:
    stale = RenderJob.objects.filter(
        organization=organization,
        kind=RenderKind.PREVIEW,
        document_lexware_id=document.lexware_id,
    ).exclude(source_version=document.version)
    if stale.exists():
        current = (
            RenderJob.objects.filter(
                organization=organization,
                kind=RenderKind.PREVIEW,
                document_lexware_id=document.lexware_id,
                source_version=document.version,
            )
            .order_by("-created_at")
            .first()
        )
        drop_previews(
            organization=organization, document_lexware_id=document.lexware_id, keep=current
        )
