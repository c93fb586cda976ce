from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from portal.operations.models import Operation, OperationState
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer

PAGE_SIZE = 50
# Input never holds secrets (API keys are decrypted in the worker, never passed along); if a
# future kind put one there by mistake, its page still would not show it.
_SECRET_KEY_NAME = re.compile(r"(api_?key|token|password|secret|authorization)$", re.IGNORECASE)


def _get_operation(request: OrgRequest, code: str) -> Operation:
    # Scoped to the organization from the URL: another tenant's operation is a 404.
    return get_object_or_404(Operation, organization=request.organization, code=code)


@require_GET
@require_viewer
def operation_status(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    """The job-status fragment; stops the polling once the operation has finished."""
    operation = _get_operation(request, code)
    # Polled by htmx from the page that shows the job: no "Open" link to that same page.
    page_path = request.htmx.current_url_abs_path if request.htmx else None
    response = render(
        request, "operations/_job_status.html", {"operation": operation, "page_path": page_path}
    )
    if not operation.is_active:
        stop = HttpResponseStopPolling(response.content)
        trigger_client_event(
            stop, "operation-finished", {"code": str(operation.code), "state": operation.state}
        )
        return stop
    return response


@require_GET
@require_viewer
def operation_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    operations = Operation.objects.filter(organization=request.organization).select_related(
        "created_by"
    )
    state = request.GET.get("state", "")
    if state in OperationState.values:
        operations = operations.filter(state=state)
    return render(
        request,
        "operations/operation_list.html",
        {"operations": operations[:PAGE_SIZE], "state": state, "states": OperationState.choices},
    )


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: "***" if _SECRET_KEY_NAME.search(str(key)) else _masked(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def input_readable(value: Any) -> str:
    """An operation's input as indented JSON with keys in a stable (sorted) order."""
    return json.dumps(_masked(value), indent=2, sort_keys=True, ensure_ascii=False, default=str)


@require_GET
@require_viewer
def operation_detail(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    operation = _get_operation(request, code)
    context = {
        "operation": operation,
        "input_json": input_readable(operation.input) if operation.input else "",
    }
    return render(request, "operations/operation_detail.html", context)
