"""A worker killed after it marked a create as possibly sent, but before the request left
(reliability R11; the rare case tests/reliability/test_import.py meets when its SIGKILL lands in
that window). Nobody can tell whether Lexware got it, so the runner never sends it again; the
reconciler searches, finds nothing, and the row fails visibly: the import still finishes and
lists the row with those not imported, instead of counting it as done or sending it twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from portal.imports import services
from portal.imports.columns import CONTACT_COLUMNS
from portal.imports.models import ImportJob
from portal.imports.reading import ParsedFile
from portal.imports.selectors import job_progress, rows_with_errors
from portal.operations import runner
from portal.operations.models import OperationState
from tests.portal.imports.conftest import KEY, contact_cells


class Killed(BaseException):
    """SIGKILL: nothing after this point runs in the worker."""


@pytest.fixture
def no_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    # The test drives the worker's steps itself, in order.
    monkeypatch.setattr("portal.operations.runner.enqueue", lambda pk, **kw: True)
    monkeypatch.setattr("portal.operations.runner.enqueue_reconcile", lambda pk, **kw: None)
    monkeypatch.setattr("portal.imports.services._enqueue_pump", lambda pk, **kw: None)
    monkeypatch.setattr("portal.operations.services.enqueue_on_commit", lambda pk, **kw: None)


def test_a_create_killed_before_it_left_fails_visibly_and_is_never_resent(
    connected: Any, sim: Any, no_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cells = contact_cells(
        company_name="Importfirma 060 GmbH",
        is_customer="ja",
        is_vendor="nein",
        email="kontakt060@import.example",
    )
    parsed = ParsedFile("csv", [c.heading for c in CONTACT_COLUMNS], [cells], "utf-8", ";")
    organization = connected.organization
    job = services.import_prepare(
        organization=organization, user=None, kind="contacts", file_name="x.csv", parsed=parsed
    )
    services.import_start(organization=organization, job=job)
    services.import_pump(job_id=job.pk)
    operation = job.rows.get().operation

    record_sending = runner._record_sending

    def mark_then_die(op: Any, method: str) -> None:
        record_sending(op, method)  # the mark is committed …
        raise Killed  # … and the host is gone before the request leaves

    monkeypatch.setattr(runner, "_record_sending", mark_then_die)
    with pytest.raises(Killed):
        runner.execute(operation.pk)
    monkeypatch.undo()
    operation.refresh_from_db()
    assert operation.state == OperationState.RUNNING and operation.sending_at
    assert not sim.tenant_for_key(KEY).contacts

    # The lease runs out: the sweeper takes the create for "maybe sent", never for "not sent".
    runner.sweep(now=timezone.now() + timedelta(seconds=runner.lease_seconds() + 1))
    operation.refresh_from_db()
    assert operation.state == OperationState.UNKNOWN
    for _ in range(3):
        runner.reconcile(operation.pk)
    operation.refresh_from_db()
    assert operation.state == OperationState.FAILED
    assert operation.reconciliation["found"] is None and operation.attempts == 1

    services.import_pump(job_id=job.pk)
    job.refresh_from_db()
    figures = job_progress(job=job)
    assert job.state == ImportJob.State.DONE
    assert (figures.done, figures.failed) == (0, 1)
    assert [row.number for row in rows_with_errors(job=job)] == [job.rows.get().number]
    assert not sim.tenant_for_key(KEY).contacts  # not sent a second time
