"""An organization connected to the in-process simulator, and helpers for the article forms."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from django.test import Client

from lexware import key_fingerprint
from portal.core import crypto
from portal.operations import runner
from portal.operations.models import Operation
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "article-form-test-key-00000000000"


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
    once): the test runs the next attempt itself, as a worker would later."""
    queued: list[int] = []
    monkeypatch.setattr(
        "portal.operations.runner.enqueue", lambda pk, **kw: queued.append(pk) or True
    )
    return queued


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def lexware_unreachable(settings: Any) -> None:
    """Nothing listens where Lexware should be: every request is refused before it is sent."""
    settings.LEXWARE_IN_PROCESS_SIMULATOR = False
    settings.LEXWARE_BASE_URL = f"http://127.0.0.1:{_closed_port()}"


def lexware_back(settings: Any) -> None:
    settings.LEXWARE_IN_PROCESS_SIMULATOR = True
    settings.LEXWARE_BASE_URL = "https://api.lexware.io"


def run_again(op: Operation) -> Operation:
    """What the delayed retry task does once its delay is over."""
    Operation.objects.filter(pk=op.pk).update(not_before=None)
    runner.execute(op.pk)
    op.refresh_from_db()
    return op


def token(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', html)
    assert match, "the form carries no idempotency token"
    return match.group(1)


def rendered_form(client: Client, url: str) -> dict[str, str]:
    """What a browser sends along from a freshly rendered form: its hidden fields."""
    return {"idempotency_key": token(client.get(url).content.decode())}


def field_errors(html: str, field: str) -> str:
    """The error list rendered right after the field's widget ({% form_field %})."""
    match = re.search(
        rf'<ul class="field__errors errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S
    )
    return match.group(1) if match else ""
