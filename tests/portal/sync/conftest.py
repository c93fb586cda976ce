from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from lexware import key_fingerprint
from portal.core import crypto
from portal.operations.clients import in_process_simulator
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization


@pytest.fixture
def sim() -> Iterator[Any]:
    """The tests' in-process simulator, emptied before and after each test."""
    simulator = in_process_simulator()
    simulator.reset()
    yield simulator
    simulator.reset()


@pytest.fixture
def demo_key(sim: Any) -> str:
    key = f"sync-test-{uuid.uuid4().hex}"
    sim.seed_tenant(key, "demo")
    return key


@pytest.fixture
def connected(org_a: Organization, demo_key: str) -> LexwareConnection:
    tenant = in_process_simulator().tenant_for_key(demo_key)
    return LexwareConnection.objects.create(
        organization=org_a, encrypted_api_key=crypto.encrypt(demo_key), key_last_four=demo_key[-4:],
        key_fingerprint=key_fingerprint(demo_key), status=ConnectionStatus.OK,
        lexware_organization_id=tenant.organization_id,
    )
