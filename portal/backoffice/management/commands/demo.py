"""`make demo`: one command that starts the simulator, the portal and a Celery worker with beat.

Embedded default (DESIGN.md §4): SQLite and Celery's filesystem transport unless DATABASE_URL /
REDIS_URL are set. Ctrl-C stops every process this command started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEMO_API_KEY = "demo-lexware-api-key-0001"


class Command(BaseCommand):
    help = "Start the demo: simulator, web server and Celery worker with beat, with demo data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT", 8000)))
        parser.add_argument(
            "--simulator-port", type=int, default=int(os.environ.get("SIMULATOR_PORT", 8765))
        )
        parser.add_argument(
            "--no-simulator", action="store_true", help="use LEXWARE_BASE_URL as it is"
        )

    def handle(
        self, *args: Any, port: int, simulator_port: int, no_simulator: bool, **options: Any
    ) -> None:
        var = Path(settings.VAR_DIR)
        for folder in (
            var,
            var / "celery" / "queue",
            var / "celery" / "processed",
            var / "ratelimit",
            var / "media",
        ):
            folder.mkdir(parents=True, exist_ok=True)
        site_url = f"http://127.0.0.1:{port}"
        env = dict(os.environ)
        env.setdefault("DEBUG", "true")
        env["SITE_URL"] = site_url
        env.setdefault("PYTHONUNBUFFERED", "1")
        children: list[subprocess.Popen[bytes]] = []

        def stop_all(*_: Any) -> None:
            # Newest first: the worker finishes its call before the simulator goes away.
            for child in reversed(children):
                if child.poll() is None:
                    child.terminate()
                    try:
                        child.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        child.kill()
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()

        def interrupt(*_: Any) -> None:
            raise KeyboardInterrupt

        # Installed explicitly: a process started in the background inherits SIGINT ignored,
        # and then Python would never turn Ctrl-C into KeyboardInterrupt.
        signal.signal(signal.SIGINT, interrupt)
        signal.signal(signal.SIGTERM, interrupt)
        try:
            if not no_simulator:
                simulator_url = f"http://127.0.0.1:{simulator_port}"
                children.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "lexware.simulator",
                            "--host",
                            "127.0.0.1",
                            "--port",
                            str(simulator_port),
                            "--seed",
                            "demo",
                            "--state",
                            str(var / "simulator-state.pickle"),
                            "--allow-http-callbacks",
                        ],
                        env=env,
                    )
                )
                self._wait_for(f"{simulator_url}/_simulator/public-key", "the simulator")
                public_key = httpx.get(f"{simulator_url}/_simulator/public-key", timeout=5).text
                key_file = var / "simulator-webhook-public-key.pem"
                key_file.write_text(public_key)
                env["LEXWARE_BASE_URL"] = simulator_url
                env["LEXWARE_WEBHOOK_PUBLIC_KEY"] = str(key_file)
                env["LEXWARE_WEBHOOK_URL"] = f"{site_url}/hooks/lexware/"
                os.environ.update(
                    {
                        k: env[k]
                        for k in (
                            "LEXWARE_BASE_URL",
                            "LEXWARE_WEBHOOK_PUBLIC_KEY",
                            "LEXWARE_WEBHOOK_URL",
                        )
                    }
                )
            call_command("migrate", interactive=False, verbosity=0)
            logins = self._prepare_data(connect=not no_simulator)
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
            children.append(
                subprocess.Popen(
                    [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
                    env=env,
                )
            )
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "worker",
                        "--beat",
                        "--loglevel",
                        "INFO",
                        "--concurrency",
                        "2",
                        "--without-mingle",
                        "--without-gossip",
                        "--schedule",
                        str(var / "celerybeat-schedule"),
                    ],
                    env=env,
                )
            )
            self._wait_for(f"{site_url}/accounts/login/", "the web server")
            self._print_banner(site_url, logins)
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            raise CommandError("a demo process stopped unexpectedly; see its output above")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the demo…")
        finally:
            stop_all()

    def _prepare_data(self, *, connect: bool) -> list[tuple[str, str, str]]:
        from portal.connections.services import connection_save
        from portal.organizations.demo import DEMO_PASSWORD, create_demo_cast
        from portal.organizations.models import LexwareConnection, Organization

        cast = create_demo_cast()
        demo_org = Organization.objects.get(slug="demo")
        if (
            connect
            and not LexwareConnection.objects.filter(organization=demo_org, status="ok").exists()
        ):
            connection_save(organization=demo_org, user=cast["alice"], api_key=DEMO_API_KEY)
        return [
            ("alice@demo.local", "owner of Demo Werkstatt GmbH", DEMO_PASSWORD),
            ("bob@demo.local", "member of Demo Werkstatt GmbH", DEMO_PASSWORD),
            ("carol@demo.local", "viewer of Demo Werkstatt GmbH", DEMO_PASSWORD),
            ("charlie@demo.local", "owner of Andere Firma AG", DEMO_PASSWORD),
            ("operator@demo.local", "operator (backoffice)", DEMO_PASSWORD),
        ]

    def _wait_for(self, url: str, what: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(url, timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise CommandError(f"{what} did not start within {timeout:.0f} s ({url})")

    def _print_banner(self, site_url: str, logins: list[tuple[str, str, str]]) -> None:
        lines = ["", "=" * 72, f"  Lexware Office portal demo: {site_url}/", ""]
        lines += [f"  {email:<22} {password:<20} {role}" for email, role, password in logins]
        lines += [
            "",
            f"  Backoffice: {site_url}/backoffice/   Stop everything with Ctrl-C.",
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))
