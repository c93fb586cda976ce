"""A worker knows every operation kind however it starts (issue 8): kinds are registered by
each app's handlers.py at Django setup, not as a side effect of loading the URLconf during
Celery's Django system checks. Real worker, Redis, PostgreSQL, simulator over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from portal.connections.services import connection_verify
from portal.contacts.services import contact_create
from portal.operations.models import OperationState
from portal.operations.registry import KINDS
from tests.reliability.checks import finished, posts
from tests.reliability.rig import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]


def test_a_worker_started_without_checks_runs_connection_and_contact_kinds(
    connected_org, simulator, real_broker, start_worker
) -> None:
    organization, api_key = connected_org
    start_worker(broker=real_broker, CELERY_SKIP_CHECKS="1")

    verify = finished(connection_verify(organization=organization, user=None))
    created = finished(
        contact_create(
            organization=organization,
            user=None,
            data={"roles": {"customer": {}}, "company": {"name": "Ohne Prüfung GmbH"}},
        )
    )

    assert verify.state == OperationState.SUCCEEDED, verify.error_message
    assert created.state == OperationState.SUCCEEDED, created.error_message
    assert len(posts(simulator, api_key)) == 1


def test_django_setup_alone_registers_every_kind() -> None:
    """What a worker process has after django.setup(), with no URLconf and no checks."""
    code = (
        "import django, json; django.setup(); "
        "import sys; assert 'portal.urls' not in sys.modules; "
        "from portal.operations.registry import KINDS; print(json.dumps(sorted(KINDS)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    in_worker = json.loads(output.stdout.strip().splitlines()[-1])
    expected = sorted(name for name in KINDS if not name.startswith("test."))
    assert in_worker == expected
    assert {"connection.verify", "contact.create", "document.fetch", "sync.step"} <= set(in_worker)
