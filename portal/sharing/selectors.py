"""Reads for customer links: the public lookup by token hash, and a document's links."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from portal.documents.models import SALES_TYPES, Document
from portal.organizations.models import Organization
from portal.sharing.models import ShareAccess, ShareLink
from portal.sharing.tokens import token_hash

ACCESS_LOG_LIMIT = 50


def link_for_token(token: str, *, now: datetime | None = None) -> ShareLink | None:
    """The link a token opens, or None for every invalid case (unknown, expired, revoked,
    draft, voided or deleted document, disconnected organization) through one query on the
    indexed hash, so no case answers measurably faster than another (L2, L3)."""
    return link_for_hash(token_hash(token), now=now)


def link_for_hash(digest: str, *, now: datetime | None = None) -> ShareLink | None:
    """As link_for_token, from the hash a link cookie carries (L6): a revoked or reissued
    link fails at once for a browser holding the cookie too (L8)."""
    return (
        ShareLink.objects.select_related("document", "organization")
        .filter(
            token_hash=digest,
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
            document__deleted_at__isnull=True,
            document__voucher_type__in=SALES_TYPES,
            organization__lexware_connection__isnull=False,
        )
        .exclude(document__status__in=("", "draft", "voided"))
        .first()
    )


def renewable_link(token: str) -> ShareLink | None:
    """An expired (not revoked) link of a shareable document, for "send me a new one"."""
    return (
        ShareLink.objects.select_related("document", "organization")
        .filter(
            token_hash=token_hash(token),
            revoked_at__isnull=True,
            document__deleted_at__isnull=True,
            document__voucher_type__in=SALES_TYPES,
            organization__lexware_connection__isnull=False,
        )
        .exclude(document__status__in=("", "draft", "voided"))
        .first()
    )


def document_links(*, organization: Organization, document: Document) -> QuerySet[ShareLink]:
    return (
        ShareLink.objects.filter(organization=organization, document=document)
        .select_related("created_by", "revoked_by")
        .prefetch_related(Prefetch("accesses", queryset=ShareAccess.objects.order_by("-at")))
    )


def share_link(*, organization: Organization, code: object) -> ShareLink:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        ShareLink.objects.select_related("document"), organization=organization, code=code
    )
