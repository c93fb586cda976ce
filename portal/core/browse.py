"""Shared pieces of the read-only browse pages: filter-form base, paging, partial choice.

Paging is Django's Paginator with the row count remembered briefly.
On large mirrors `COUNT(*)` is the most expensive query of a list page and does not change
while someone clicks through pages of the same filter set, so the count is cached for a short
time under a key made of the organization and the filters (never the page number).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

COUNT_CACHE_SECONDS = 30


class CountCachedPaginator(Paginator):
    def __init__(self, object_list: QuerySet[Any], per_page: int, *, count_key: str | None = None) -> None:
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        if self.count_key is None:
            return super().count
        cached = cache.get(self.count_key)
        if cached is not None:
            return int(cached)
        counted = super().count
        cache.set(self.count_key, counted, COUNT_CACHE_SECONDS)
        return counted


def count_key(prefix: str, organization_id: int, filters: dict[str, Any]) -> str:
    """A cache key for one organization's filter set (sorting and paging do not change counts)."""
    signature = repr(sorted((name, repr(value)) for name, value in filters.items()))
    digest = hashlib.sha256(signature.encode()).hexdigest()[:24]
    return f"browse-count:{prefix}:{organization_id}:{digest}"


def paginate(queryset: QuerySet[Any], *, page: int | None, page_size: int, key: str | None = None) -> Page:
    """The requested page; out-of-range or missing page numbers give the nearest real page."""
    paginator = CountCachedPaginator(queryset, page_size, count_key=key)
    return paginator.get_page(page or 1)


SEARCH_MAX_LENGTH = 200


class BrowseFilterForm(forms.Form):
    """Base of every browse page's query-string form. Invalid fields are reported and ignored,
    so a bad query string still shows a list (and the error) instead of failing."""

    q = forms.CharField(label=_("Search"), max_length=SEARCH_MAX_LENGTH, required=False, strip=True)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False, widget=forms.HiddenInput)

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for the selector."""
        self.is_valid()
        data = self.cleaned_data
        return {"query": data.get("q") or "", "page": data.get("page") or 1}


def page_template(request: HttpRequest, template: str, partial: str) -> str:
    """The partial for htmx requests, the whole page otherwise (also when htmx restores a page
    missing from its history cache: that request needs the full document)."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


def query_without_page(request: HttpRequest) -> str:
    """The current query string minus `page`, for the pager's links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
