"""Writes for articles (lexware-api.md §5.4): each starts an Operation; the worker side is in
handlers.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction

from portal.accounts.models import User
from portal.articles.mirror import upsert_article
from portal.articles.models import Article
from portal.operations.edits import EditSpec, edit_start
from portal.operations.models import Lane, Operation
from portal.operations.services import operation_start, withdraw_replaced
from portal.organizations.models import Organization

CREATE = "article.create"
UPDATE = "article.update"
DELETE = "article.delete"

# Read-merge-put of an article (portal/operations/edits.py). The price is compared per field:
# the non-leading price is Lexware's to compute, so the form only ever sets the leading one.
EDIT = EditSpec(
    resource="articles",
    input_key="article",
    upsert=lambda organization, data: upsert_article(organization=organization, data=data),
)


@transaction.atomic
def article_create(
    *,
    organization: Organization,
    user: User | None,
    data: dict[str, Any],
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
    lane: str = Lane.INTERACTIVE,
) -> Operation:
    """`data` is an article in Lexware's shape (§5.4), already validated by the form.

    `replaces` is the code of a waiting create whose input the user corrected: it is withdrawn
    in the same transaction (ValidationError if it is already being sent), so one article is
    made. `lane` is the bulk lane for imports, where nobody waits on the page.
    """
    withdraw_replaced(organization=organization, kind=CREATE, replaces=replaces)
    body = {key: value for key, value in data.items() if key not in ("id", "version")}
    return operation_start(
        organization=organization,
        kind=CREATE,
        user=user,
        input={"article": body},
        target_type="article",
        lane=lane,
        idempotency_key=idempotency_key,
    )


@transaction.atomic
def article_update(
    *,
    organization: Organization,
    user: User | None,
    lexware_id: UUID | str,
    data: dict[str, Any],
    base_version: int,
    idempotency_key: str | None = None,
    replaces: UUID | str | None = None,
    lane: str = Lane.INTERACTIVE,
) -> Operation:
    """Change an article: `data` holds the fields the form sets, in Lexware's shape (§5.4);
    `base_version` is the version the form was rendered from. Everything else (the internal
    note above all) is kept; a change made in Lexware meanwhile to a field the user changed
    ends in a conflict the user resolves (portal/operations/edits.py)."""
    mirrored = Article.objects.filter(organization=organization, lexware_id=lexware_id).first()
    return edit_start(
        spec=EDIT,
        kind=UPDATE,
        organization=organization,
        user=user,
        lexware_id=lexware_id,
        data={key: value for key, value in data.items() if key not in ("id", "version")},
        base_version=base_version,
        base_record=mirrored.raw if mirrored is not None else None,
        target_type="article",
        idempotency_key=idempotency_key,
        replaces=replaces,
        lane=lane,
    )


@transaction.atomic
def article_delete(
    *,
    organization: Organization,
    user: User | None,
    lexware_id: UUID | str,
    idempotency_key: str | None = None,
) -> Operation:
    """Delete one article in Lexware, then from the mirror. Lexware may refuse (the operation
    fails with its message); an article that is already gone counts as deleted."""
    title = (
        Article.objects.filter(organization=organization, lexware_id=lexware_id)
        .values_list("title", flat=True)
        .first()
    )
    return operation_start(
        organization=organization,
        kind=DELETE,
        user=user,
        input={"id": str(lexware_id), "title": title or ""},
        target_type="article",
        target_id=str(lexware_id),
        idempotency_key=idempotency_key,
    )
