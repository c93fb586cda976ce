"""Article pages: views of the local mirror, and the new-article, edit and delete pages whose
writes run as Operations (DESIGN.md §7). No view here calls Lexware."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from portal.articles import selectors, services
from portal.articles.forms import ArticleDeleteForm, ArticleFilterForm, ArticleForm
from portal.articles.models import Article
from portal.core.browse import query_without_page
from portal.core.htmx import render_page
from portal.operations.writeflow import WritePage
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_member, require_viewer

NEW_ARTICLE = WritePage(
    "articles/article_form.html", ArticleForm, services.CREATE, input_key="article"
)
EDIT_ARTICLE = WritePage(
    "articles/article_form.html", ArticleForm, services.UPDATE, input_key="article"
)
DELETE_ARTICLE = WritePage(
    "articles/article_delete.html", ArticleDeleteForm, services.DELETE, input_key="article"
)


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


# ---------------------------------------------------------------- new article


def _create_status_url(request: OrgRequest, code: UUID) -> str:
    return reverse(
        "articles:create_status", kwargs={"org_slug": request.organization.slug, "code": code}
    )


def _create_context(request: OrgRequest) -> dict[str, Any]:
    return {"form_url": reverse("articles:create", kwargs={"org_slug": request.organization.slug})}


@require_http_methods(["GET", "POST"])
@require_member
def article_create(request: OrgRequest, org_slug: str) -> HttpResponse:
    context = _create_context(request)
    if request.method != "POST":
        return NEW_ARTICLE.render_form(request, NEW_ARTICLE.form(request), context)
    form = ArticleForm(request.POST)
    if form.is_valid():
        try:
            operation = services.article_create(
                organization=request.organization,
                user=request.user,
                data=form.to_lexware(),
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status_url = _create_status_url(request, operation.code)
            return NEW_ARTICLE.started(request, operation, status_url=status_url, context=context)
    return NEW_ARTICLE.render_form(request, form, context)


@require_GET
@require_member
def article_create_status(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    operation = NEW_ARTICLE.operation(request, code)
    return NEW_ARTICLE.status(
        request,
        operation,
        status_url=_create_status_url(request, operation.code),
        context=_create_context(request),
    )


@require_GET
@require_member
def article_price(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The computed other price while the user types (htmx): the form's price fields, read as
    the form reads them, through the function Lexware's side uses (lexware.totals)."""
    form = ArticleForm(request.GET)
    form.is_valid()  # only the price fields matter; the others may still be empty
    return render(request, "articles/_article_fields.html#counterpart", {"form": form})


# ---------------------------------------------------------------- edit


def _edit_context(request: OrgRequest, article: Article) -> dict[str, Any]:
    url = reverse(
        "articles:edit",
        kwargs={"org_slug": request.organization.slug, "lexware_id": article.lexware_id},
    )
    return {"article": article, "form_url": url, "editing": True}


def _edit_status_url(request: OrgRequest, article: Article, code: UUID) -> str:
    return reverse(
        "articles:edit_status",
        kwargs={
            "org_slug": request.organization.slug,
            "lexware_id": article.lexware_id,
            "code": code,
        },
    )


@require_http_methods(["GET", "POST"])
@require_member
def article_edit(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    article = selectors.article_detail(organization=request.organization, lexware_id=lexware_id)
    context = _edit_context(request, article)
    if request.method != "POST":
        form = EDIT_ARTICLE.edit_form(request, article.raw or {}, target_id=str(lexware_id))
        return EDIT_ARTICLE.render_form(request, form, context)
    form = ArticleForm(request.POST, editing=True)
    if form.is_valid():
        try:
            operation = services.article_update(
                organization=request.organization,
                user=request.user,
                lexware_id=article.lexware_id,
                data=form.to_lexware(),
                base_version=form.version,
                idempotency_key=form.key,
                replaces=form.replaced_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status_url = _edit_status_url(request, article, operation.code)
            return EDIT_ARTICLE.started(request, operation, status_url=status_url, context=context)
    return EDIT_ARTICLE.render_form(request, form, context)


@require_GET
@require_member
def article_edit_status(
    request: OrgRequest, org_slug: str, lexware_id: UUID, code: UUID
) -> HttpResponse:
    article = selectors.article_detail(organization=request.organization, lexware_id=lexware_id)
    operation = EDIT_ARTICLE.operation(request, code, target_id=str(lexware_id))
    return EDIT_ARTICLE.status(
        request,
        operation,
        status_url=_edit_status_url(request, article, operation.code),
        context=_edit_context(request, article),
    )


# ---------------------------------------------------------------- delete


def _delete_status_url(request: OrgRequest, lexware_id: UUID | str, code: UUID) -> str:
    return reverse(
        "articles:delete_status",
        kwargs={"org_slug": request.organization.slug, "lexware_id": lexware_id, "code": code},
    )


@require_http_methods(["GET", "POST"])
@require_member
def article_delete(request: OrgRequest, org_slug: str, lexware_id: UUID) -> HttpResponse:
    article = selectors.article_detail(organization=request.organization, lexware_id=lexware_id)
    context = {"article": article}
    if request.method != "POST":
        return DELETE_ARTICLE.render_form(request, ArticleDeleteForm(), context)
    form = ArticleDeleteForm(request.POST)
    if form.is_valid():
        operation = services.article_delete(
            organization=request.organization,
            user=request.user,
            lexware_id=article.lexware_id,
            idempotency_key=form.key,
        )
        status_url = _delete_status_url(request, article.lexware_id, operation.code)
        return DELETE_ARTICLE.started(request, operation, status_url=status_url, context=context)
    return DELETE_ARTICLE.render_form(request, form, context)


@require_GET
@require_member
def article_delete_status(
    request: OrgRequest, org_slug: str, lexware_id: UUID, code: UUID
) -> HttpResponse:
    operation = DELETE_ARTICLE.operation(request, code, target_id=str(lexware_id))
    # The mirror row is gone once the delete succeeded: the page only needs what it was called.
    context = {"article": {"title": operation.input.get("title"), "lexware_id": lexware_id}}
    status_url = _delete_status_url(request, lexware_id, operation.code)
    return DELETE_ARTICLE.status(request, operation, status_url=status_url, context=context)
