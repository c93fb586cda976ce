"""Sync status and event subscription pages (admins). They read the mirror's bookkeeping
tables; the buttons only queue Operations, which workers carry out."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.core.htmx import render_page
from portal.organizations.http import OrgRequest
from portal.organizations.permissions import require_admin
from portal.sync import selectors, services
from portal.sync.models import Subscription
from portal.sync.subscriptions import DELETE_ALL, ENSURE, callback_url


@require_GET
@require_admin
def sync_status(request: OrgRequest, org_slug: str) -> HttpResponse:
    """Progress per part; the `parts` partial polls itself every 2 s while a sync is in progress."""
    parts = selectors.sync_parts(organization=request.organization)
    operation = selectors.sync_operation_latest(organization=request.organization)
    context = {
        "parts": parts,
        "running": selectors.sync_page_polls(parts=parts, operation=operation),
        "events": selectors.webhook_events_recent(organization=request.organization),
        "operation": operation,
    }
    return render_page(request, "sync/sync_status.html", context, partial="parts")


@require_POST
@require_admin
def sync_start(request: OrgRequest, org_slug: str) -> HttpResponse:
    operation = services.sync_start(organization=request.organization, user=request.user)
    if operation is None:
        messages.info(request, _("A sync is already running."))
    else:
        messages.success(request, _("Sync started."))
    return redirect("sync:status", org_slug=request.organization.slug)


@require_GET
@require_admin
def subscriptions(request: OrgRequest, org_slug: str) -> HttpResponse:
    context = {
        "subscriptions": Subscription.objects.filter(organization=request.organization).order_by(
            "event_type"
        ),
        "callback_url": callback_url(),
        "operation": selectors.operation_latest(
            organization=request.organization, kinds=(ENSURE, DELETE_ALL)
        ),
    }
    return render_page(request, "sync/subscriptions.html", context, partial="subscription_table")


@require_POST
@require_admin
def subscriptions_delete(request: OrgRequest, org_slug: str) -> HttpResponse:
    services.subscriptions_delete(organization=request.organization, user=request.user)
    messages.success(request, _("Deleting all event subscriptions in Lexware."))
    return redirect("sync:subscriptions", org_slug=request.organization.slug)


@require_POST
@require_admin
def subscriptions_ensure(request: OrgRequest, org_slug: str) -> HttpResponse:
    services.subscriptions_ensure(organization=request.organization, user=request.user)
    messages.success(request, _("Creating the event subscriptions in Lexware."))
    return redirect("sync:subscriptions", org_slug=request.organization.slug)
