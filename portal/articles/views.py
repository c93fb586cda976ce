"""Article pages: read-only views of the local mirror; no view here calls Lexware."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from portal.articles import selectors
from portal.articles.forms import ArticleFilterForm
from portal.articles.models import Article
from portal.core.browse import page_template, query_without_page
from portal.core.http import OrgRequest
from portal.organizations.permissions import require_viewer
from portal.sync.models import SyncPart
from portal.sync.selectors import data_as_of


@require_GET
@require_viewer
def article_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    page = selectors.article_list(organization=request.organization, **form.filters())
    context = {
        "form": form,
        "page_obj": page,
        "query": query_without_page(request),
        "data_as_of": data_as_of(organization=request.organization, part=SyncPart.Name.ARTICLES, model=Article),
    }
    response = render(request, page_template(request, "articles/article_list.html", "results"), context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@require_viewer
def article_detail(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    article = selectors.article_detail(organization=request.organization, lexware_id=lexware_id)
    raw = article.raw or {}
    return render(request, "articles/article_detail.html", {"article": article, "raw": raw, "price": raw.get("price") or {}})
