"""Reads of the article mirror (lexware-api.md §5.4). Never calls Lexware."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from django.db.models.functions import Collate
from django.shortcuts import get_object_or_404

from portal.articles.models import Article
from portal.core.browse import count_key, paginate
from portal.core.mirror import GERMAN_COLLATION, search_condition
from portal.organizations.models import Organization

PAGE_SIZE = 50
ARTICLE_TYPES = ("PRODUCT", "SERVICE")
LIST_COLUMNS = (
    "lexware_id",
    "title",
    "article_number",
    "gtin",
    "type",
    "unit_name",
    "net_price",
    "gross_price",
    "tax_rate",
    "archived",
    "synced_at",
)


def article_queryset(
    *, organization: Organization, query: str = "", article_type: str | None = None
) -> QuerySet[Article]:
    articles = Article.objects.filter(organization=organization, deleted_at__isnull=True)
    term = query.strip().lower()
    if term:
        # Title, article number and GTIN are all in the lower-cased search text.
        articles = articles.filter(search_condition(term))
    if article_type in ARTICLE_TYPES:
        articles = articles.filter(type=article_type)
    return articles


def article_list(
    *,
    organization: Organization,
    query: str = "",
    article_type: str | None = None,
    page: int | None = 1,
    page_size: int = PAGE_SIZE,
) -> Page[Any]:
    articles = article_queryset(organization=organization, query=query, article_type=article_type)
    articles = articles.only(*LIST_COLUMNS).order_by(Collate("title", GERMAN_COLLATION), "pk")
    key = count_key("articles", organization.pk, {"q": query.strip().lower(), "type": article_type})
    return paginate(articles, page=page, page_size=page_size, key=key)


def article_detail(*, organization: Organization, lexware_id: object) -> Article:
    return get_object_or_404(
        Article, organization=organization, lexware_id=lexware_id, deleted_at__isnull=True
    )
