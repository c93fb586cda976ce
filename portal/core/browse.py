"""Shared pieces of the read-only browse pages: filter-form base, paging, partial choice.

Paging is Django's Paginator with a cheaper row count. On large mirrors `COUNT(*)` is the most
expensive query of a list page (about 50 ms for 80,000 matching rows on PostgreSQL, while the
page itself takes 2–5 ms), so:
- a large count (CACHE_ABOVE rows or more) is cached for a short time under a key made of
  the organization and the filters (never the page number or the sort): paging through one
  filter set counts once. Small counts are cheap and always exact, so a list opened before a
  sync never stays short afterwards (the Paginator cuts pages to the count it is given);
- on PostgreSQL, when the planner expects more than ESTIMATE_ABOVE rows, its estimate is used
  instead (`paginator.is_estimate`; pages show "about"). Nobody pages to the end of such a list;
  smaller result sets are counted exactly.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

COUNT_CACHE_SECONDS = 30
CACHE_ABOVE = 2_000
ESTIMATE_ABOVE = 10_000


def estimated_rows(queryset: QuerySet[Any]) -> int | None:
    """PostgreSQL's planner estimate of the row count (one EXPLAIN, ~1 ms); None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class CountCachedPaginator(Paginator):  # type: ignore[type-arg]  # not subscriptable at runtime
    def __init__(
        self, object_list: QuerySet[Any], per_page: int, *, count_key: str | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        self.count_key = count_key
        self.is_estimate = False

    def _count_or_estimate(self) -> tuple[int, bool]:
        estimate = estimated_rows(self.object_list)  # type: ignore[arg-type]  # always a QuerySet here
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            return estimate, True
        return super().count, False

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return super().count
        cached = cache.get(self.count_key)
        if cached is None:
            cached = self._count_or_estimate()
            if cached[0] >= CACHE_ABOVE:
                cache.set(self.count_key, cached, COUNT_CACHE_SECONDS)
        count, self.is_estimate = cached
        return int(count)


def count_key(prefix: str, organization_id: int, filters: dict[str, Any]) -> str:
    """A cache key for one organization's filter set (sorting and paging do not change counts)."""
    signature = repr(sorted((name, repr(value)) for name, value in filters.items()))
    digest = hashlib.sha256(signature.encode()).hexdigest()[:24]
    return f"browse-count:{prefix}:{organization_id}:{digest}"


def paginate(
    queryset: QuerySet[Any], *, page: int | None, page_size: int, key: str | None = None
) -> Page[Any]:
    """The requested page; out-of-range or missing page numbers give the nearest real page."""
    paginator = CountCachedPaginator(queryset, page_size, count_key=key)
    return paginator.get_page(page or 1)


SEARCH_MAX_LENGTH = 200


class BrowseFilterForm(forms.Form):
    """Base of every browse page's query-string form. Invalid fields are reported and ignored,
    so a bad query string still shows a list (and the error) instead of failing."""

    q = forms.CharField(label=_("Search"), max_length=SEARCH_MAX_LENGTH, required=False, strip=True)
    page = forms.IntegerField(
        min_value=1, max_value=1_000_000, required=False, widget=forms.HiddenInput
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for the selector."""
        self.is_valid()
        data = self.cleaned_data
        return {"query": data.get("q") or "", "page": data.get("page") or 1}


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
