"""Fetch a document's files after the mirror learnt it was created or changed (bulk lane:
nobody is waiting; the next person to open it finds the file ready)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from portal.documents.models import Document
from portal.documents.signals import document_refreshed
from portal.files.selectors import files_complete, has_file
from portal.files.services import document_files_fetch
from portal.operations.models import Lane
from portal.organizations.models import Organization


@receiver(document_refreshed)
def fetch_files_after_change(
    sender: Any, *, organization: Organization, document: Document, **kwargs: Any
) -> None:
    if not getattr(settings, "FILES_FETCH_ON_CHANGE", True):
        return
    if not has_file(document) or document.version is None or files_complete(document):
        return
    document_files_fetch(organization=organization, document=document, lane=Lane.BULK)
