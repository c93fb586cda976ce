"""Writes articles (lexware-api.md §5.4) into the mirror."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from portal.articles.models import Article
from portal.core.mirror import mirror_columns, normalise_search, parse_decimal
from portal.organizations.models import Organization


def upsert_article(*, organization: Organization, data: dict[str, Any]) -> Article:
    price = data.get("price") or {}
    article, _ = Article.objects.update_or_create(
        organization=organization,
        lexware_id=data["id"],
        defaults={
            **mirror_columns(data),
            "title": str(data.get("title") or "")[:300],
            "article_number": str(data.get("articleNumber") or "")[:100],
            "gtin": str(data.get("gtin") or "")[:20],
            "type": str(data.get("type") or "")[:20],
            "unit_name": str(data.get("unitName") or "")[:100],
            "net_price": parse_decimal(price.get("netPrice")),
            "gross_price": parse_decimal(price.get("grossPrice")),
            "tax_rate": parse_decimal(price.get("taxRate")),
            "archived": bool(data.get("archived")),
            "search_text": normalise_search(
                data.get("title"), data.get("articleNumber"), data.get("gtin")
            ),
        },
    )
    return article


def remove_article(*, organization: Organization, lexware_id: str) -> None:
    """Gone from Lexware: the row is marked deleted, as the sync does for `article.deleted`, so
    no page shows it and a late webhook or sync cannot bring it back."""
    Article.objects.filter(organization=organization, lexware_id=lexware_id).update(
        deleted_at=timezone.now()
    )
