"""Rendered PDFs in the "documents" storage (portal/files), under names built from ids."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile

from portal.files.storage import document_storage
from portal.rendering.models import RenderJob

logger = logging.getLogger(__name__)


def render_name(job: RenderJob) -> str:
    return f"{job.organization.code}/renders/{job.kind}/{job.code}.pdf"


def save_render(job: RenderJob, content: bytes) -> str:
    storage = document_storage()
    name = render_name(job)
    if storage.exists(name):  # left by a render that died before its row was updated
        storage.delete(name)
    return storage.save(name, ContentFile(content))


def open_render(job: RenderJob):  # type: ignore[no-untyped-def]
    return document_storage().open(job.storage_name, "rb")


def delete_render(name: str) -> None:
    try:
        document_storage().delete(name)
    except Exception:  # a missing file is already what we want
        logger.warning("could not delete rendered file %s", name, exc_info=True)
