"""The dunning run (members and above) and on-demand payment loading: thin views over the
dunning selectors and the services that start operations."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from portal.core.htmx import render_page
from portal.operations.models import Operation, OperationState
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_admin, require_member
from portal.receivables import dunning, selectors, services
from portal.receivables.models import DunningRun, ReceivablesSettings

SHOWN_INVOICES = 300


class IntervalForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic
    class Meta:
        model = ReceivablesSettings
        fields = ["dunning_interval_days"]
        labels = {"dunning_interval_days": gettext_lazy("Days between two dunnings")}


def _interval_form(request: OrgRequest, data: Any = None) -> IntervalForm:
    current, _created = ReceivablesSettings.objects.get_or_create(organization=request.organization)
    return IntervalForm(data, instance=current)


@require_GET
@require_member
def dunning_page(request: OrgRequest, org_slug: str) -> HttpResponse:
    groups = dunning.dunning_candidates(organization=request.organization)
    invoice_count = sum(len(g.invoices) for g in groups)
    # A long backlog is shown in part (the largest customers first); "all" still takes all.
    shown, left = [], SHOWN_INVOICES
    for group in groups:
        if left <= 0:
            break
        shown.append(
            dunning.CustomerGroup(
                group.contact_lexware_id, group.contact_name, group.invoices[:left]
            )
        )
        left -= len(group.invoices)
    context = {
        "groups": shown,
        "hidden_count": invoice_count - sum(len(g.invoices) for g in shown),
        "invoice_count": invoice_count,
        "interval": dunning.dunning_interval(organization=request.organization),
        "interval_form": _interval_form(request) if request.membership.is_admin else None,
        "runs": DunningRun.objects.filter(organization=request.organization)[:5],
    }
    return render_page(request, "receivables/dunning.html", context)


@require_POST
@require_member
def dunning_start(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Start one dunning per chosen invoice; only invoices the page offers can be chosen."""
    groups = dunning.dunning_candidates(organization=request.organization)
    offered = {str(c.lexware_id): c for g in groups for c in g.invoices}
    if request.POST.get("all"):
        chosen = list(offered.values())
    else:
        chosen = [offered[i] for i in request.POST.getlist("invoice") if i in offered]
    if not chosen:
        messages.error(request, _("Please choose at least one invoice."))
        return redirect("receivables:dunning", org_slug=org_slug)
    run, skipped = services.dunning_run_start(
        organization=request.organization,
        user=request.user,
        invoices=[c.as_input() for c in chosen],
    )
    if skipped:
        messages.info(
            request,
            _("%(n)s invoices already had a dunning at this level and were skipped.")
            % {"n": skipped},
        )
    return redirect("receivables:dunning_run", org_slug=org_slug, code=run.code)


@require_POST
@require_admin
def dunning_settings(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = _interval_form(request, request.POST)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
    else:
        for error in form.errors.get("dunning_interval_days", []):
            messages.error(request, f"{_('Days between two dunnings')}: {error}")
    return redirect("receivables:dunning", org_slug=org_slug)


def run_progress(run: DunningRun) -> dict[str, Any]:
    operations = Operation.objects.filter(
        organization=run.organization, kind=services.DUNNING_CREATE, input__run=str(run.code)
    )
    counts = operations.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(state=OperationState.SUCCEEDED)),
        failed=Count("pk", filter=Q(state=OperationState.FAILED)),
    )
    finished = counts["done"] + counts["failed"]
    return {
        **counts,
        "finished": finished,
        "active": finished < counts["total"],
        "operations": operations.order_by("created_at"),
    }


@require_GET
@require_member
def dunning_run(request: OrgRequest, org_slug: str, code: UUID) -> HttpResponse:
    run = get_object_or_404(DunningRun, organization=request.organization, code=code)
    context = {"run": run, "progress": run_progress(run)}
    return render_page(request, "receivables/dunning_run.html", context, partial="progress")


@require_POST
@require_member
def payments_fetch(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Load payment states (§5.15) on the bulk lane: one customer's open invoices, or the
    paid invoices of the last two years the payments mirror has no paid date for."""
    organization = request.organization
    contact = request.POST.get("contact") or ""
    invoices = selectors.invoices(organization=organization)
    if contact:
        try:
            contact_id = UUID(contact)
        except ValueError:
            return HttpResponse(status=400)
        ids = [
            str(i)
            for i in invoices.filter(
                contact_lexware_id=contact_id, status__in=selectors.OPEN_STATUSES
            ).values_list("lexware_id", flat=True)
        ]
        target = f"contact:{contact_id}"
    else:
        ids = [str(i) for i in selectors.paid_without_payment(organization=organization)]
        target = "paid"
    operation = services.payments_fetch(
        organization=organization, voucher_ids=ids, user=request.user, target=target
    )
    if operation is None:
        messages.info(request, _("There are no payments to load."))
    else:
        messages.info(request, _("Payments are being loaded from Lexware."))
    back = request.POST.get("next") or ""
    if back.startswith(f"/o/{organization.slug}/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("receivables:overview", org_slug=org_slug)
