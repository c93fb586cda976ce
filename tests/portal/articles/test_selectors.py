"""Article list selector on mirror rows made by the mirror writers."""

from __future__ import annotations

import pytest

from portal.articles.mirror import upsert_article
from portal.articles.selectors import article_list
from portal.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_article_search_and_type_filter(org_a: Organization, org_b: Organization) -> None:
    for owner, title, number, gtin, kind in [
        (org_a, "Wartungspauschale", "SRV-100", "", "SERVICE"),
        (org_a, "Schraube M6", "P-200", "4006381333931", "PRODUCT"),
        (org_b, "Wartung fremd", "SRV-100", "", "SERVICE"),
    ]:
        upsert_article(
            organization=owner,
            data={
                "id": str(__import__("uuid").uuid4()),
                "title": title,
                "type": kind,
                "unitName": "Stück",
                "articleNumber": number,
                "gtin": gtin,
                "version": 1,
                "price": {
                    "netPrice": 50.0,
                    "grossPrice": 59.5,
                    "leadingPrice": "NET",
                    "taxRate": 19,
                },
            },
        )
    titles = lambda page: [row.title for row in page.object_list]  # noqa: E731
    assert titles(article_list(organization=org_a, query="srv-100")) == ["Wartungspauschale"]
    assert titles(article_list(organization=org_a, query="4006381")) == ["Schraube M6"]
    assert titles(article_list(organization=org_a, query="wartung")) == ["Wartungspauschale"]
    assert titles(article_list(organization=org_a, article_type="PRODUCT")) == ["Schraube M6"]
