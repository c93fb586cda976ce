"""An organization connected to the in-process simulator, and the cast's clients."""

from __future__ import annotations

from typing import Any

import pytest

from lexware import key_fingerprint
from portal.core import crypto
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "contact-form-test-key-0000000000"


@pytest.fixture
def connected(org_a: Organization, sim: Any) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


@pytest.fixture
def no_follow_up(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Retries after a transient failure are not run inline (eager Celery would run them at
    once, eight times): the test runs the next attempt itself, as a worker would later."""
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    return queued
