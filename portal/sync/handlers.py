"""The sync's operation kinds, all repeatable: sync steps, reconciliation, refreshes after
webhooks, and the event subscriptions. Their code lives in engine.py, refresh.py and
subscriptions.py; this module is where a worker (and a reader) finds them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.operations.models import Operation
from portal.operations.registry import operation_kind
from portal.sync import engine, refresh, subscriptions
from portal.sync.models import SyncPart


def _sync_page(operation: Operation) -> str:
    return reverse("sync:status", kwargs={"org_slug": operation.organization.slug})


def _subscriptions_page(operation: Operation) -> str:
    return reverse("sync:subscriptions", kwargs={"org_slug": operation.organization.slug})


def _step_part(operation: Operation) -> str | None:
    """Which part a sync step works on ("Kontakte", "Belege", …)."""
    part = str(operation.input.get("part") or "")
    return str(SyncPart.Name(part).label) if part in SyncPart.Name.values else None


operation_kind(engine.STEP, label=_("Sync step"), result_url=_sync_page, detail=_step_part)(
    engine.sync_step
)
operation_kind(
    engine.RECONCILE, label=_("Reconcile the mirror with Lexware"), result_url=_sync_page
)(engine.reconcile_step)
operation_kind(refresh.REFRESH, label=_("Refresh after a Lexware event"))(refresh.refresh_operation)
operation_kind(
    subscriptions.ENSURE, label=_("Set up the event subscriptions"), result_url=_subscriptions_page
)(subscriptions.subscriptions_ensure_operation)
operation_kind(
    subscriptions.DELETE_ALL,
    label=_("Delete the event subscriptions"),
    result_url=_subscriptions_page,
)(subscriptions.subscriptions_delete_operation)
