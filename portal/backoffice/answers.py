"""Lexware's answers per organization over the last hour and day, from our own request log
(portal.audit.LexwareCall, written by the client's transport): calls, 2xx/4xx/5xx/429,
transport errors and the 95th percentile of the time to answer."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q

from portal.audit.models import LexwareCall
from portal.organizations.models import Organization

WINDOWS = (("hour", timedelta(hours=1)), ("day", timedelta(days=1)))


class Percentile95(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.95) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _p95(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)])


def _window(since: datetime) -> dict[int | None, dict[str, Any]]:
    calls = LexwareCall.objects.filter(at__gte=since)
    aggregates: dict[str, Any] = {
        "calls": Count("pk"),
        "ok": Count("pk", filter=Q(status__gte=200, status__lt=300)),
        "client_errors": Count("pk", filter=Q(status__gte=400, status__lt=500) & ~Q(status=429)),
        "rate_limited": Count("pk", filter=Q(status=429)),
        "server_errors": Count("pk", filter=Q(status__gte=500)),
        "no_answer": Count("pk", filter=Q(status=0)),
    }
    if connection.vendor == "postgresql":
        aggregates["p95_ms"] = Percentile95("duration_ms")
    rows = calls.values("organization_id").annotate(**aggregates)
    result = {row["organization_id"]: dict(row) for row in rows}
    if connection.vendor != "postgresql":
        for org_id, row in result.items():
            row["p95_ms"] = _p95(
                list(calls.filter(organization_id=org_id).values_list("duration_ms", flat=True))
            )
    return result


def lexware_answers(now: datetime) -> list[dict[str, Any]]:
    windows = {name: _window(now - span) for name, span in WINDOWS}
    org_ids = {org_id for window in windows.values() for org_id in window}
    names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    rows = [
        {
            "organization_id": org_id,
            "organization": names.get(org_id, "—") if org_id else "—",
            **{name: windows[name].get(org_id) for name, _span in WINDOWS},
        }
        for org_id in org_ids
    ]
    return sorted(rows, key=lambda row: str(row["organization"]).lower())
