"""Receivables pages: thin views over the selectors; they read the mirror only."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import cast
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from portal.core.browse import paginate, query_without_page
from portal.core.htmx import page_template, render_page
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer
from portal.receivables import charts, exports, history, selectors
from portal.receivables.forms import BucketForm, ExportForm, ReceivablesFilterForm

PAGE_SIZE = 50


def _response(response: HttpResponse | StreamingHttpResponse) -> HttpResponse:
    """The role decorator types views as returning HttpResponse; a streamed CSV is one too
    as far as Django's handlers care."""
    return cast(HttpResponse, response)


def _filter_query(form: ReceivablesFilterForm) -> str:
    """The valid filters as a query string, for links to the bucket lists and exports."""
    filters = form.filters()
    pairs = {
        "contact": str(filters.contact or ""),
        "q": filters.query,
        "date_from": filters.date_from.isoformat() if filters.date_from else "",
        "date_to": filters.date_to.isoformat() if filters.date_to else "",
    }
    return urlencode({key: value for key, value in pairs.items() if value})


# The figures of the page (aging, debtors, history, charts) are precomputed as their rendered
# HTML, keyed by the mirror's stamp: a change of any invoice row makes a new key, so they are
# never older than the mirror. The TTL only bounds the payment history inside them (cached two
# minutes by history.py) and the memory.
RESULTS_CACHE_SECONDS = 60


def _results_key(request: OrgRequest, today: date) -> str:
    organization = request.organization
    query = urlencode(
        sorted((key, value) for key, values in request.GET.lists() for value in values)
    )
    stamp = selectors.mirror_stamp(organization=organization)
    raw = "|".join((organization.slug, stamp, today.isoformat(), get_language() or "", query))
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"receivables:results:{organization.pk}:{digest}"


def _results(request: OrgRequest, form: ReceivablesFilterForm, today: date) -> str:
    """The rendered results region (aging, charts, debtors) of the current filters."""
    key = _results_key(request, today)
    html: str | None = cache.get(key)
    if html is None:
        filters = form.filters()
        organization = request.organization
        aging = selectors.aging(organization=organization, filters=filters, today=today)
        months = history.monthly(organization=organization, filters=filters, today=today)
        context = {
            "form": form,
            "filter_query": _filter_query(form),
            "aging": aging,
            "bucket_chart": charts.bucket_chart(aging.buckets),
            "debtors": history.debtors(organization=organization, filters=filters, today=today),
            "overview": history.overview(
                organization=organization, open_amount=aging.amount, filters=filters, today=today
            ),
            "months": months,
            "month_chart": charts.month_chart(months),
            "today": today,
        }
        html = render_to_string("receivables/receivables.html#results", context, request=request)
        cache.set(key, str(html), RESULTS_CACHE_SECONDS)
    return mark_safe(str(html))  # noqa: S308 - our own template's output, cached as rendered


@require_GET
@require_viewer
def receivables(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ReceivablesFilterForm(request.GET)
    filters = form.filters()
    today = selectors.berlin_today()
    results = _results(request, form, today)
    if page_template(request, "receivables/receivables.html", "results").endswith("#results"):
        response = HttpResponse(results)
        patch_vary_headers(response, ["HX-Request"])
        return response
    context = {
        "form": form,
        "customer": selectors.customer_name(
            organization=request.organization, contact_id=filters.contact
        ),
        "results_html": results,
    }
    return render_page(request, "receivables/receivables.html", context, partial="results")


@require_GET
@require_viewer
def invoice_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The open invoices of one aging bucket (or all), oldest due first."""
    form = BucketForm(request.GET)
    filters = form.filters()
    bucket_key = form.cleaned_data.get("bucket") or None
    today = selectors.berlin_today()
    rows = selectors.bucket_invoices(
        organization=request.organization, bucket=bucket_key, filters=filters, today=today
    )
    page = paginate(rows, page=form.cleaned_data.get("page"), page_size=PAGE_SIZE)
    for row in page.object_list:
        row.days_past_due = max(selectors.days_past_due(row.due_date, today), 0)
    bucket = next((b for b in selectors.BUCKETS if b.key == bucket_key), None)
    context = {
        "form": form,
        "customer": selectors.customer_name(
            organization=request.organization, contact_id=filters.contact
        ),
        "bucket": bucket,
        "page_obj": page,
        "query": query_without_page(request),
        "filter_query": _filter_query(form),
        "today": today,
    }
    return render_page(request, "receivables/invoice_list.html", context, partial="results")


@require_GET
@require_viewer
def export(request: OrgRequest, org_slug: str) -> HttpResponse:
    # Without a choice: the bucket table as CSV (the first export link of the page).
    query = request.GET.copy()
    query.setdefault("table", "buckets")
    query.setdefault("format", "csv")
    form = ExportForm(query)
    filters = form.filters()
    table, fmt = form.cleaned_data.get("table"), form.cleaned_data.get("format")
    if not table or not fmt:
        return HttpResponseBadRequest("unknown table or format")
    organization = request.organization
    today = selectors.berlin_today()
    name = f"{table}-{today.isoformat()}"
    if table == "buckets":
        aging = selectors.aging(organization=organization, filters=filters, today=today)
        headers, rows = exports.bucket_table(aging.buckets)
        return _response(exports.respond(name=name, fmt=fmt, headers=headers, rows=rows))
    if table == "debtors":
        debtors = history.debtors(
            organization=organization, filters=filters, limit=None, today=today
        )
        headers, rows = exports.debtor_table(debtors)
        return _response(exports.respond(name=name, fmt=fmt, headers=headers, rows=rows))
    if table == "months":
        months = history.monthly(organization=organization, filters=filters, today=today)
        headers, rows = exports.month_table(months)
        return _response(exports.respond(name=name, fmt=fmt, headers=headers, rows=rows))
    bucket = form.cleaned_data.get("bucket") or None
    invoices = (
        selectors.bucket_invoices(
            organization=organization, bucket=bucket, filters=filters, today=today
        )
        .values_list(*exports.INVOICE_COLUMNS)
        .iterator(chunk_size=2000)
    )
    headers, lines = exports.invoice_table(invoices, today)
    if bucket:
        name = f"invoices-{bucket}-{today.isoformat()}"
    return _response(exports.respond(name=name, fmt=fmt, headers=headers, rows=lines, stream=True))
