"""Client construction, lanes, and static guarantees (reliability.md H4)."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest

import lexware
from lexware import InMemoryRateLimiter, LexwareClient
from tests.lexware.mock_lexware import API_KEY, Recorder, json_response, make_client

PACKAGE = Path(lexware.__file__).parent


def test_no_tls_verification_switch_and_no_django_anywhere_in_the_package() -> None:
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        assert "verify=False" not in text, path
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                assert not any(n.split(".")[0] == "django" for n in names), path


def test_every_endpoint_namespace_exists() -> None:
    client = LexwareClient(API_KEY, limiter=InMemoryRateLimiter())
    for name in (
        "contacts",
        "articles",
        "invoices",
        "quotations",
        "credit_notes",
        "order_confirmations",
        "delivery_notes",
        "dunnings",
        "down_payment_invoices",
        "voucherlist",
        "vouchers",
        "files",
        "payments",
        "countries",
        "payment_conditions",
        "posting_categories",
        "print_layouts",
        "profile",
        "recurring_templates",
        "event_subscriptions",
    ):
        assert getattr(client, name).name == name
    client.close()


def test_repr_shows_fingerprint_not_key_and_requests_carry_bearer() -> None:
    recorder = Recorder([json_response(200, [])])
    client = make_client(recorder)
    assert API_KEY not in repr(client) and client.key_id in repr(client)
    client.countries.list()
    assert recorder.last.headers["Authorization"] == f"Bearer {API_KEY}"
    assert recorder.last.headers["Accept"] == "application/json"


def test_base_url_is_fixed_and_paths_relative() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return json_response(200, [])

    with LexwareClient(
        API_KEY, base_url="https://api.lexoffice.io/", transport=httpx.MockTransport(handler)
    ) as client:
        client.countries.list()
    assert seen == ["https://api.lexoffice.io/v1/countries"]


def test_with_lane_shares_connections_but_changes_lane() -> None:
    lanes: list[str] = []

    class Limiter:
        def acquire(
            self, key_id: str, *, lane: str = "interactive", timeout: float | None = None
        ) -> None:
            lanes.append(lane)

    client = make_client(Recorder([json_response(200, [])]), limiter=Limiter())
    bulk = client.with_lane("bulk")
    bulk.countries.list()
    client.countries.list()
    assert lanes == ["bulk", "interactive"]
    assert bulk.lane == "bulk" and client.lane == "interactive"
    with pytest.raises(ValueError):
        client.with_lane("fast")


def test_empty_key_is_refused() -> None:
    with pytest.raises(ValueError):
        LexwareClient("  ")
