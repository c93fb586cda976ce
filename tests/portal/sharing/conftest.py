"""A finalized invoice of org A with its PDF in storage, and a customer link to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from portal.documents.models import Document
from portal.files.handlers import fetch_document_files
from portal.sharing.services import share_link_create
from tests.portal.files.conftest import connected, invoice, lexware, no_follow_up  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttle_counters() -> Iterator[None]:
    """django-ratelimit counts in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def invoice_with_pdf(lexware: Any, invoice: Document) -> Document:  # noqa: F811
    fetch_document_files(client=lexware, document=invoice)
    return invoice


@pytest.fixture
def link_token(invoice_with_pdf: Document, bob: Any) -> str:
    _, token = share_link_create(
        organization=invoice_with_pdf.organization,
        document=invoice_with_pdf,
        user=bob,
        expires_at=timezone.now() + timedelta(days=30),
    )
    return token
