"""Articles (lexware-api.md §5.4).

`price.leadingPrice` says which price is the input (`NET` → `netPrice`, `GROSS` → `grossPrice`);
Lexware computes the other one, which is read-only.
"""

from __future__ import annotations

from .common import LexwareDateTime, LexwareModel, Percentage, UnitAmount
from .enums import ArticleType, LeadingPrice, Tolerant

__all__ = ["Article", "ArticlePrice"]


class ArticlePrice(LexwareModel):
    net_price: UnitAmount | None = None
    gross_price: UnitAmount | None = None
    leading_price: Tolerant[LeadingPrice] | None = None
    tax_rate: Percentage | None = None


class Article(LexwareModel):
    id: str | None = None
    organization_id: str | None = None
    created_date: LexwareDateTime | None = None
    updated_date: LexwareDateTime | None = None
    archived: bool | None = None
    title: str | None = None
    description: str | None = None
    type: Tolerant[ArticleType] | None = None
    article_number: str | None = None
    gtin: str | None = None
    note: str | None = None
    unit_name: str | None = None
    price: ArticlePrice | None = None
    version: int | None = None
