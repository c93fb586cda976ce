"""The image's gunicorn settings (portal/gunicorn_conf.py), run for real: a client that stalls
in the middle of an upload holds one thread, and the process keeps answering others. With the
sync workers the image used before, it held the whole process until gunicorn's timeout."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.reliability.rig import ROOT, free_port, wait_until

CONFIG = "python:portal.gunicorn_conf"
# The CSRF check reads the posted form, so the request waits for a body that never comes.
STALLED_UPLOAD = (
    b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: csrftoken=" + b"a" * 32 + b"\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
    b"csrfmiddlewaretoken="
)


def _gunicorn_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="true", **extra)
    return env


def test_the_config_asks_for_threads_and_the_redacting_access_log() -> None:
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            CONFIG,
            "--print-config",
            "portal.wsgi:application",
        ],
        cwd=ROOT,
        env=_gunicorn_env(WEB_CONCURRENCY="3", GUNICORN_THREADS="6"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    }
    assert settings["worker_class"] == "gthread"
    assert (settings["workers"], settings["threads"]) == ("3", "6")
    assert settings["logger_class"] == "portal.core.gunicorn_logger.RedactingLogger"
    assert settings["accesslog"] == "-"


@pytest.fixture
def one_gunicorn_process() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", CONFIG, "portal.wsgi:application"],
        cwd=ROOT,
        env=_gunicorn_env(GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(answers, timeout=60, what="gunicorn")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_stalled_request_does_not_stop_the_process_answering(one_gunicorn_process: str) -> None:
    host, port = one_gunicorn_process.removeprefix("http://").split(":")
    stalled = [socket.create_connection((host, int(port))) for _ in range(2)]
    try:
        for connection in stalled:  # a form post that stops after its first bytes
            connection.sendall(STALLED_UPLOAD)
        time.sleep(0.5)
        began = time.monotonic()
        response = httpx.get(f"{one_gunicorn_process}/healthz", timeout=10)
        assert response.status_code == 200 and response.text == "ok"
        assert time.monotonic() - began < 5  # a sync worker would wait out its 30 s timeout
    finally:
        for connection in stalled:
            connection.close()


def test_a_worker_freezes_what_loading_created() -> None:
    import gc

    from portal import gunicorn_conf

    assert gc.get_freeze_count() == 0
    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000  # the loaded application, out of the collector's walk
    finally:
        gc.unfreeze()
