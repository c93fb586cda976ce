"""Worker side of article writes (DESIGN.md §7, lexware-api.md §5.4).

`article.create` sends one POST. What it returns (the new id) is recorded by the runner at
once; reading the article back into the mirror is a separate phase that may be retried alone.
A POST whose outcome is unknown is never sent again: the reconciler looks for the article it
made, by its article number (unique in Lexware, Appendix B), or without one by its exact title
among the articles created since the operation began that the mirror did not know before.

`article.update` is one PUT after a GET: read-merge-put with the version, a conflict when
Lexware changed a field the user changed too (portal/operations/edits.py).

`article.delete` is repeatable: a DELETE sent twice deletes once, and Lexware answers the
second with 404, which counts as deleted. A refusal (4xx) fails the operation with Lexware's
message, shown on the delete page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lexware import errors as lx
from portal.articles.mirror import remove_article, upsert_article
from portal.articles.models import Article
from portal.articles.services import CREATE, DELETE, EDIT, UPDATE
from portal.core.mirror import api_dict, parse_timestamp
from portal.operations.models import Operation
from portal.operations.registry import operation_kind, write_kind

if TYPE_CHECKING:
    from lexware import LexwareClient

# Lexware's clock and ours may differ a little (reliability.md RL6): an article created this
# much before the operation began still counts as possibly ours, if the mirror did not know it.
CLOCK_SLACK = timedelta(minutes=2)


def article_page(operation: Operation) -> str | None:
    if not operation.target_id:
        return None
    return reverse(
        "articles:detail",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )


def article_form(operation: Operation) -> str:
    """The new-article form reopened with this operation's input."""
    url = reverse("articles:create", kwargs={"org_slug": operation.organization.slug})
    return f"{url}?{urlencode({'from': operation.code})}"


def article_edit_form(operation: Operation) -> str:
    """The edit form reopened with this operation's input (after a conflict: "keep mine")."""
    url = reverse(
        "articles:edit",
        kwargs={"org_slug": operation.organization.slug, "lexware_id": operation.target_id},
    )
    return f"{url}?{urlencode({'from': operation.code})}"


def article_list_page(operation: Operation) -> str:
    return reverse("articles:list", kwargs={"org_slug": operation.organization.slug})


def article_read_back(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    data = api_dict(client.articles.get(operation.target_id))
    upsert_article(organization=operation.organization, data=data)
    return {"id": operation.target_id, "title": str(data.get("title") or "")}


def _ours(operation: Operation, lexware_id: str) -> bool:
    """Not an article the mirror knew before this create began, nor one another create adopted."""
    known_before = Article.objects.filter(
        organization=operation.organization,
        lexware_id=lexware_id,
        synced_at__lt=operation.created_at,
    ).exists()
    taken = (
        Operation.objects.filter(
            organization=operation.organization, kind=CREATE, target_id=lexware_id
        )
        .exclude(pk=operation.pk)
        .exists()
    )
    return not known_before and not taken


def article_reconcile(operation: Operation, client: LexwareClient) -> str | None:
    sent = operation.input["article"]
    number = sent.get("articleNumber")
    if number:
        # The number is unique: the article with it is ours unless it was there before.
        for candidate in client.articles.list(article_number=number, size=25).content:
            data = api_dict(candidate)
            if data.get("articleNumber") == number and _ours(operation, str(data["id"])):
                return str(data["id"])
        return None
    began = operation.created_at - CLOCK_SLACK
    # Newest first where Lexware honours the sort (§4 documents only the default, title), so
    # the order is not relied on: older articles are skipped, not taken as the end. A rare
    # path (an ambiguous create without a number), worth a full pass over one article type.
    kind = sent.get("type") if sent.get("type") in ("PRODUCT", "SERVICE") else None
    candidates = client.articles.iter_all(type=kind, sort="createdDate,DESC")
    for candidate in candidates:
        data = api_dict(candidate)
        created = parse_timestamp(data.get("createdDate"))
        if created is not None and created < began:
            continue
        same = all(data.get(key) == sent.get(key) for key in ("title", "type", "unitName"))
        if same and _ours(operation, str(data["id"])):
            return str(data["id"])
    return None


@write_kind(
    CREATE,
    label=_("Create article"),
    read_back=article_read_back,
    reconcile=article_reconcile,
    result_url=article_page,
    edit_url=article_form,
)
def article_create_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    result = client.articles.create(operation.input["article"])
    return {"id": str(result.id)}


@write_kind(
    UPDATE,
    label=_("Change article"),
    read_back=EDIT.read_back,
    reconcile=EDIT.reconcile,
    result_url=article_page,
    edit_url=article_edit_form,
)
def article_update_write(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """At most one PUT, after a GET: read-merge-put with the version (EditSpec.write)."""
    return EDIT.write(operation, client)


def _deleted_title(operation: Operation) -> str | None:
    return str(operation.input.get("title") or "") or None


@operation_kind(
    DELETE, label=_("Delete article"), result_url=article_list_page, detail=_deleted_title
)
def article_delete_run(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    lexware_id = operation.target_id
    try:
        client.articles.delete(lexware_id)
    except lx.NotFoundError:
        # Deleted already: by our own earlier attempt whose answer was lost, or in Lexware.
        gone_before = True
    else:
        gone_before = False
    remove_article(organization=operation.organization, lexware_id=lexware_id)
    return {"id": lexware_id, "already_gone": gone_before}
