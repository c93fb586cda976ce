"""The production compose file is safe by default (issue 16 item 3). Docker does not run on
the CI machines, so the file itself is read: what `docker compose config` would show."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    return (
        {str(k): str(v) for k, v in env.items()}
        if isinstance(env, dict)
        else dict(e.split("=", 1) for e in env)
    )


def test_only_the_tls_proxy_is_published() -> None:
    published = {
        name: service["ports"] for name, service in SERVICES.items() if service.get("ports")
    }
    assert list(published) == ["proxy"]
    assert sorted(published["proxy"]) == ["443:443", "80:80"]


def test_no_secret_or_address_is_written_into_the_file() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"(postgres|redis)://[^$\s]*:[^$@\s]+@", text), "a URL with a password"
    for name, service in SERVICES.items():
        for key, value in _environment(service).items():
            if re.search(r"PASSWORD|SECRET|KEY", key):
                assert value.startswith("${") and ":?" in value, (name, key, value)
    for key in ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "LEXWARE_BASE_URL", "SECRET_KEY"):
        assert all(key not in _environment(service) for service in SERVICES.values()), key


def test_the_portal_trusts_exactly_one_proxy() -> None:
    env = _environment(SERVICES["web"])
    assert env["TRUST_X_FORWARDED_PROTO"] == "true" and env["TRUSTED_PROXY_COUNT"] == "1"
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile


def test_the_simulator_runs_only_in_the_demo_profile_on_its_own_volume() -> None:
    simulator = SERVICES["simulator"]
    assert simulator.get("profiles") == ["demo"]
    assert all("portal-data" not in str(volume) for volume in simulator.get("volumes", []))
    assert all(
        not service.get("profiles") for name, service in SERVICES.items() if name != "simulator"
    )
    assert "LEXWARE_SIM_CONTROL_TOKEN" in _environment(simulator)


def test_the_simulator_refuses_an_open_control_api_beyond_this_machine() -> None:
    import subprocess
    import sys

    refused = subprocess.run(
        [sys.executable, "-m", "lexware.simulator", "--host", "0.0.0.0", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", "LEXWARE_SIM_CONTROL_TOKEN": ""},
    )
    assert refused.returncode == 2 and "--control-token" in refused.stderr


def test_web_worker_and_beat_have_health_checks_and_redis_a_password() -> None:
    for name in ("web", "worker", "beat", "db", "redis"):
        assert SERVICES[name].get("healthcheck", {}).get("test"), name
    assert "--requirepass" in " ".join(SERVICES["redis"]["command"])


def test_production_refuses_to_start_without_an_explicit_lexware_url() -> None:
    import os
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items() if key != "LEXWARE_BASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="false",
        SECRET_KEY="s" * 60,
        PORTAL_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="portal.example.com",
    )
    code = "import django; django.setup()"
    refused = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "LEXWARE_BASE_URL is required" in refused.stderr
    env["LEXWARE_BASE_URL"] = "https://api.lexware.io"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True
        ).returncode
        == 0
    )
