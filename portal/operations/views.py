from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from portal.operations.models import Operation, OperationState
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_viewer

PAGE_SIZE = 50


def _get_operation(request: OrgRequest, code: str) -> Operation:
    # Scoped to the organization from the URL: another tenant's operation is a 404.
    return get_object_or_404(Operation, organization=request.organization, code=code)


@require_GET
@require_viewer
def operation_status(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    """The job-status fragment; stops the polling once the operation has finished."""
    operation = _get_operation(request, code)
    response = render(request, "operations/_job_status.html", {"operation": operation})
    if not operation.is_active:
        stop = HttpResponseStopPolling(response.content)
        trigger_client_event(stop, "operation-finished", {"code": str(operation.code), "state": operation.state})
        return stop
    return response


@require_GET
@require_viewer
def operation_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    operations = Operation.objects.filter(organization=request.organization).select_related("created_by")
    state = request.GET.get("state", "")
    if state in OperationState.values:
        operations = operations.filter(state=state)
    return render(
        request,
        "operations/operation_list.html",
        {"operations": operations[:PAGE_SIZE], "state": state, "states": OperationState.choices},
    )


@require_GET
@require_viewer
def operation_detail(request: OrgRequest, org_slug: str, code: str) -> HttpResponse:
    return render(request, "operations/operation_detail.html", {"operation": _get_operation(request, code)})
