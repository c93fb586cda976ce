"""Operations and webhooks across organizations (operators): lists with filters, an
operation's history, retry, settle an `unknown` one, re-run a subscription check."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.audit.models import AuditEvent, LexwareCall
from portal.backoffice import services
from portal.backoffice.forms import OperationFilterForm, ResolveForm, WebhookFilterForm
from portal.backoffice.views import staff_required
from portal.core.errors import ApplicationError
from portal.operations.models import Operation, OperationState
from portal.operations.views import input_readable
from portal.organizations.models import Organization
from portal.sync.models import WebhookEvent

PAGE_SIZE = 100


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@staff_required
@require_GET
def operation_list(request: HttpRequest) -> HttpResponse:
    form = OperationFilterForm(request.GET or None)
    operations = Operation.objects.select_related("organization", "created_by").order_by(
        "-created_at"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            operations = operations.filter(state=data["state"])
        if data["lane"]:
            operations = operations.filter(lane=data["lane"])
        if data["kind"]:
            operations = operations.filter(kind__icontains=data["kind"])
        if data["organization"]:
            operations = operations.filter(organization__name__icontains=data["organization"])
    page = Paginator(operations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "backoffice/operation_list.html", context)


def _get(code: str) -> Operation:
    return get_object_or_404(
        Operation.objects.select_related("organization", "created_by"), code=code
    )


def _detail_context(
    operation: Operation, resolve_form: ResolveForm | None = None
) -> dict[str, Any]:
    return {
        "operation": operation,
        "input_json": input_readable(operation.input) if operation.input else "",
        "result_json": input_readable(operation.result) if operation.result else "",
        "reconciliation_json": input_readable(operation.reconciliation)
        if operation.reconciliation
        else "",
        "field_errors_json": json.dumps(operation.field_errors, indent=2, ensure_ascii=False)
        if operation.field_errors
        else "",
        "calls": LexwareCall.objects.filter(operation_id=operation.pk).order_by("at")[:200],
        "events": AuditEvent.objects.filter(operation_id=operation.pk).order_by("at", "pk"),
        "retryable": services.operation_retryable(operation),
        "resolvable": operation.state == OperationState.UNKNOWN,
        "resolve_form": resolve_form or ResolveForm(),
    }


@staff_required
@require_GET
def operation_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "backoffice/operation_detail.html", _detail_context(_get(code)))


@staff_required
@require_POST
def operation_retry(request: HttpRequest, code: str) -> HttpResponse:
    operation = _get(code)
    try:
        retry = services.operation_retry(operator=request.user, operation=operation)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("backoffice:operation_detail", code=operation.code)
    messages.success(request, _("A new operation was started."))
    return redirect("backoffice:operation_detail", code=retry.code)


@staff_required
@require_http_methods(["POST"])
def operation_resolve(request: HttpRequest, code: str) -> HttpResponse:
    operation = _get(code)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "backoffice/operation_detail.html",
            _detail_context(operation, form),
            status=400,
        )
    try:
        services.operation_resolve(
            operator=request.user,  # type: ignore[arg-type]
            operation=operation,
            outcome=form.cleaned_data["outcome"],
            comment=form.cleaned_data["comment"],
            lexware_id=form.cleaned_data.get("lexware_id"),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The operation was settled."))
    return redirect("backoffice:operation_detail", code=operation.code)


@staff_required
@require_GET
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookFilterForm(request.GET or None)
    events = WebhookEvent.objects.select_related("organization").order_by("-received_at")
    if form.is_valid():
        if form.cleaned_data["event_type"]:
            events = events.filter(event_type__icontains=form.cleaned_data["event_type"])
        if form.cleaned_data["organization"]:
            events = events.filter(organization__name__icontains=form.cleaned_data["organization"])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "backoffice/webhook_list.html", context)


@staff_required
@require_POST
def subscriptions_check(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    operation = services.subscriptions_check(operator=request.user, organization=organization)  # type: ignore[arg-type]
    messages.success(request, _("The subscription check was started."))
    return redirect("backoffice:operation_detail", code=operation.code)
