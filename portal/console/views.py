"""The API console page (/o/<slug>/console/): admins read, owners also change, after a
confirmation. The page only starts an operation; a worker makes the call, and the answer
appears through htmx polling (the job status, then the answer panel reloads itself)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from portal.console.forms import READ_METHODS, WRITE_METHODS, ConsoleForm
from portal.console.services import CONSOLE_KINDS, console_call_start
from portal.core.htmx import render_page
from portal.operations.models import Operation
from portal.organizations.http import OrgRequest
from portal.organizations.models import Role
from portal.organizations.permissions import require_admin


def _methods(request: OrgRequest) -> tuple[str, ...]:
    owner = request.membership.has_role(Role.OWNER)
    return READ_METHODS + WRITE_METHODS if owner else READ_METHODS


def _operation(request: OrgRequest, code: str | None) -> Operation | None:
    if not code:
        return None
    try:
        return Operation.objects.filter(
            organization=request.organization, kind__in=CONSOLE_KINDS, code=code
        ).first()
    except Exception:  # not a UUID: no such call
        return None


def _render(
    request: OrgRequest,
    form: ConsoleForm,
    *,
    operation: Operation | None = None,
    confirm: bool = False,
    partial: str = "console-panel",
) -> HttpResponse:
    recent = Operation.objects.filter(
        organization=request.organization, kind__in=CONSOLE_KINDS
    ).select_related("created_by")[:10]
    context = {
        "form": form,
        "operation": operation,
        "answer": (operation.result or {}).get("answer") if operation else None,
        "confirm": confirm,
        "recent": recent,
        "may_write": _methods(request) != READ_METHODS,
    }
    return render_page(request, "console/console.html", context, partial=partial)


@require_GET
@require_admin
def console(request: OrgRequest, org_slug: str) -> HttpResponse:
    operation = _operation(request, request.GET.get("op"))
    form = ConsoleForm(allowed_methods=_methods(request))
    if operation is not None:
        data = operation.input or {}
        form.initial.update(
            {
                "method": data.get("method", "GET")
                if data.get("method") in _methods(request)
                else "GET",
                "path": data.get("path", ""),
                "query": "&".join(f"{k}={v}" for k, v in (data.get("query") or {}).items()),
            }
        )
    # An htmx reload of the answer after the job finished asks only for the answer.
    partial = "console-answer" if request.GET.get("part") == "answer" else "console-panel"
    return _render(request, form, operation=operation, partial=partial)


@require_POST
@require_admin
def console_run(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ConsoleForm(request.POST, allowed_methods=_methods(request))
    if not form.is_valid():
        return _render(request, form)
    if form.is_write and not form.cleaned_data["confirmed"]:
        # Step two of a change: the same values, shown back, sent only with "Yes, send it".
        return _render(request, form, confirm=True)
    data = form.cleaned_data
    operation = console_call_start(
        organization=request.organization,
        user=request.user,
        method=data["method"],
        path=data["path"],
        query=data["query"],
        body=data["body"],
        idempotency_key=data["token"],
    )
    if request.htmx:
        again = ConsoleForm(allowed_methods=_methods(request))
        again.initial.update(
            {key: request.POST.get(key, "") for key in ("method", "path", "query", "body")}
        )
        return _render(request, again, operation=operation)
    url = reverse("console:index", kwargs={"org_slug": org_slug})
    return redirect(f"{url}?op={operation.code}")
