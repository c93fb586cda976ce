"""Periodic sync work (Celery beat). Each task only starts Operations; workers do the calls."""

from __future__ import annotations

from celery import shared_task

from portal.organizations.models import ConnectionStatus, LexwareConnection


def _usable_organizations() -> list[int]:
    return list(
        LexwareConnection.objects.filter(status=ConnectionStatus.OK).values_list(
            "organization_id", flat=True
        )
    )


@shared_task(name="sync.reconcile_all", ignore_result=True)
def reconcile_all() -> int:
    from portal.organizations.models import Organization
    from portal.sync.services import sync_reconcile

    started = 0
    for organization in Organization.objects.filter(pk__in=_usable_organizations()):
        if sync_reconcile(organization=organization) is not None:
            started += 1
    return started


@shared_task(name="sync.check_subscriptions_all", ignore_result=True)
def check_subscriptions_all() -> int:
    from portal.organizations.models import Organization
    from portal.sync.services import subscriptions_ensure

    organizations = Organization.objects.filter(pk__in=_usable_organizations())
    for organization in organizations:
        subscriptions_ensure(organization=organization)
    return organizations.count()
