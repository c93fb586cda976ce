"""Article pages: read-only views of the local mirror; no view here calls Lexware."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.articles import selectors
from portal.articles.forms import ArticleFilterForm
from portal.core.browse import query_without_page
from portal.core.htmx import render_page
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer


@require_GET
@require_viewer
def article_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    page = selectors.article_list(organization=request.organization, **form.filters())
    context = {
        "form": form,
        "page_obj": page,
        "query": query_without_page(request),
    }
    return render_page(request, "articles/article_list.html", context, partial="results")


@require_GET
@require_viewer
def article_detail(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    article = selectors.article_detail(organization=request.organization, lexware_id=lexware_id)
    raw = article.raw or {}
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "raw": raw, "price": raw.get("price") or {}},
    )
