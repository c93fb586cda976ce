"""Fixtures of the simulator core tests (helpers in core_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from lexware.simulator import Simulator
from tests.lexware.simulator.core_helpers import client_for, new_sim


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """Unlimited rate (rate limiting has its own tests), no OCR delay, no callback probing."""
    simulator = new_sim()
    yield simulator
    simulator.scheduler.stop()


@pytest.fixture
def api(sim: Simulator) -> Iterator[httpx.Client]:
    with client_for(sim) as client:
        yield client
