"""The simulator as a real HTTP server (`python -m lexware.simulator`), in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(*args: str) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "lexware.simulator", "--port", str(port), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/_simulator/health", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        process.stdout.read().decode() if process.stdout else "server died"
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _client(base: str, key: str = "server-key") -> httpx.Client:
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=10)


def test_rate_limit_holds_under_concurrent_load() -> None:
    """§1.5: over HTTP, no 1-second window has more than rate + burst successful requests."""
    with running_server("--seed", "empty", "--rate", "2", "--burst", "2") as base:
        client = _client(base)
        deadline = time.monotonic() + 3.0

        def hammer(_: int) -> list[int]:
            statuses = []
            with _client(base) as own:
                while time.monotonic() < deadline:
                    statuses.append(own.get("/v1/countries").status_code)
            return statuses

        with ThreadPoolExecutor(8) as pool:
            statuses = [s for chunk in pool.map(hammer, range(8)) for s in chunk]
        assert 429 in statuses and 200 in statuses
        log = client.get("/_simulator/requests", params={"apiKey": "server-key"}).json()["requests"]
        ok = sorted(e["timestamp"] for e in log if e["status"] == 200)
        assert len(ok) == statuses.count(200)
        worst = max(sum(1 for t in ok[i:] if t < start + 1.0) for i, start in enumerate(ok))
        assert worst <= 4, f"{worst} successful requests within one second"
        assert len(ok) >= 6  # the simulator itself kept up with 2/s over 3 s (+ burst)


def test_state_survives_restart(tmp_path: Path) -> None:
    """--state FILE: data survives a restart (saved on shutdown)."""
    state = tmp_path / "sim.state"
    with running_server("--seed", "empty", "--state", str(state), "--rate", "0") as base:
        contact = _client(base).post(
            "/v1/contacts",
            json={"version": 0, "roles": {"customer": {}}, "company": {"name": "Bleibt GmbH"}},
        )
        assert contact.status_code == 200
        key_pem = httpx.get(f"{base}/_simulator/public-key").content
    assert state.exists() and os.path.getsize(state) > 0
    with running_server("--seed", "empty", "--state", str(state), "--rate", "0") as base:
        fetched = _client(base).get(f"/v1/contacts/{contact.json()['id']}")
        assert fetched.status_code == 200 and fetched.json()["company"]["name"] == "Bleibt GmbH"
        assert httpx.get(f"{base}/_simulator/public-key").content == key_pem


def test_dropped_connection_over_http() -> None:
    """Fault `drop`: the socket is closed without a response."""
    with running_server("--seed", "empty", "--rate", "0") as base:
        client = _client(base)
        httpx.post(
            f"{base}/_simulator/faults", json={"apiKey": "server-key", "kind": "drop", "count": 1}
        )
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/v1/profile")
        assert client.get("/v1/profile").status_code == 200


def test_demo_seed_over_http() -> None:
    with running_server("--seed", "demo", "--rate", "0") as base:
        client = _client(base)
        assert client.get("/v1/contacts").json()["totalElements"] >= 50
        assert client.get("/v1/articles").json()["totalElements"] >= 30


def _multipart_upload(name: str, content: bytes) -> bytes:
    return (
        b'--B\r\nContent-Disposition: form-data; name="type"\r\n\r\nvoucher\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: application/pdf\r\n\r\n'
        + content
        + b"\r\n--B--\r\n"
    )


@pytest.mark.parametrize("cut", [40, 300])
def test_an_upload_cut_off_by_its_dying_client_is_not_executed(cut: int) -> None:
    """A client killed while sending (here: after `cut` of its body's bytes) made no voucher,
    not even with a 504 fault armed, and the request log says the request was incomplete
    instead of showing it as answered: Lexware's gateway only forwards whole requests."""
    body = _multipart_upload("beleg.pdf", b"%PDF-1.4\n" + b"x" * 2000 + b"\n%%EOF\n")
    with running_server("--seed", "empty", "--rate", "0") as base:
        httpx.post(
            f"{base}/_simulator/faults",
            json={"apiKey": "server-key", "kind": "504", "count": 1, "method": "POST"},
        )
        head = (
            "POST /v1/files HTTP/1.1\r\nHost: simulator\r\nAuthorization: Bearer server-key\r\n"
            f"Content-Type: multipart/form-data; boundary=B\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(head + body[:cut])
        client = _client(base)
        deadline = time.monotonic() + 10
        log: list[dict[str, object]] = []
        while not log and time.monotonic() < deadline:
            log = httpx.get(f"{base}/_simulator/requests").json()["requests"]
            time.sleep(0.05)
        assert [(e["method"], e["path"], e["status"], e.get("incomplete")) for e in log] == [
            ("POST", "/v1/files", 0, True)
        ]
        listed = client.get(
            "/v1/voucherlist",
            params={"voucherType": "purchaseinvoice", "voucherStatus": "blank,unchecked"},
        )
        assert listed.json()["totalElements"] == 0
        # The whole request, sent again, is executed (and answered 504: the fault was kept).
        whole = client.post(
            "/v1/files", content=body, headers={"Content-Type": "multipart/form-data; boundary=B"}
        )
        assert whole.status_code == 504
        listed = client.get(
            "/v1/voucherlist",
            params={"voucherType": "purchaseinvoice", "voucherStatus": "blank,unchecked"},
        )
        assert listed.json()["totalElements"] == 1
