"""PostgreSQL restarts (reliability.md R9) on a cluster of the test's own: (a) between tasks,
(b) during a task, (c) while requests come in and an operation is enqueued. Requests answer 503
"back in a moment" (not a 500), the next request after the restart works, the worker recovers
by itself, and every operation ends done: nothing lost.

The machine's shared PostgreSQL is never restarted: `PrivatePostgres` runs initdb in a temporary
directory on a free port. The test process points its default connection at that cluster for
the duration of the test; requests go through Django's real WSGIHandler (which, unlike the test
client, closes stale connections at the start of each request as a server does)."""

from __future__ import annotations

import contextlib
import io
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.reliability.rig import PrivatePostgres, Worker, wait_until, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.slow]

DATABASE = "portal_r9"


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    from tests.conftest import IN_CI

    if PrivatePostgres.bin_dir() is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.destroy()  # whatever happened: stopped (immediate) and its directory removed


@contextlib.contextmanager
def default_database_on(server: PrivatePostgres, name: str) -> Iterator[None]:
    """Point the test process's default connection at the private cluster, then back."""
    from django.db import connections

    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(
        NAME=name, HOST="127.0.0.1", PORT=str(server.port), USER="postgres", PASSWORD=""
    )
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _create_database(server: PrivatePostgres, name: str) -> None:
    import psycopg

    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


class Browser:
    """GET through Django's WSGIHandler with a session cookie: request_started closes stale
    and unusable connections first (CONN_HEALTH_CHECKS), exactly as under gunicorn."""

    def __init__(self, cookie: str) -> None:
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.cookie = cookie

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        from django.conf import settings

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={self.cookie}",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        seen: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

        body = b"".join(self.handler(environ, start_response))
        return seen["status"], seen["headers"], body.decode(errors="replace")


def test_r9_postgres_restarts_lose_nothing_and_answer_503_while_down(
    private_postgres, simulator, real_broker, django_db_blocker, settings
) -> None:
    """R9 (a) restart between tasks, (b) immediate restart during a task, (c) down while a
    signed-in user asks for a page and an operation is enqueued."""
    from django.core.management import call_command
    from django.db import close_old_connections
    from django.test import Client

    from lexware import key_fingerprint
    from portal.accounts.models import User
    from portal.contacts.models import Contact
    from portal.core import crypto
    from portal.operations import runner
    from portal.operations.models import Lane, Operation, OperationState
    from portal.operations.queue import enqueue
    from portal.organizations.models import (
        ConnectionStatus,
        LexwareConnection,
        Membership,
        Organization,
        Role,
    )
    from portal.sync.refresh import REFRESH
    from portal.sync.services import resource_refresh
    from tests.reliability.checks import finished, lease_over, state

    pg = private_postgres
    api_key = f"r9-{uuid.uuid4().hex}"
    contact_ids = []
    for number in range(4):
        response = simulator.api(
            "POST",
            "contacts",
            api_key,
            json={
                "version": 0,
                "roles": {"customer": {}},
                "company": {"name": f"Neustart {number} GmbH"},
            },
        )
        contact_ids.append(response.json()["id"])
    _create_database(pg, DATABASE)

    worker: Worker | None = None
    with django_db_blocker.unblock(), default_database_on(pg, DATABASE):
        try:
            call_command("migrate", verbosity=0)
            organization = Organization.objects.create(name="Neustart GmbH", slug="neustart")
            LexwareConnection.objects.create(
                organization=organization,
                encrypted_api_key=crypto.encrypt(api_key),
                key_last_four=api_key[-4:],
                key_fingerprint=key_fingerprint(api_key),
                status=ConnectionStatus.OK,
            )
            user = User.objects.create_user("r9@example.org", "r9-password-123456")
            Membership.objects.create(user=user, organization=organization, role=Role.OWNER)
            login = Client()
            login.force_login(user)
            browser = Browser(login.cookies[settings.SESSION_COOKIE_NAME].value)
            up_status = browser.get("/")[0]
            assert up_status < 400

            worker = Worker(
                env=worker_env(
                    database_name=DATABASE,
                    broker_url=real_broker,
                    simulator_url=simulator.url,
                    DATABASE_URL=pg.url(DATABASE),
                )
            ).start()

            # (a) Between tasks: the worker's idle connection dies with the restart; the
            # Celery fixup and the health check give the next task a fresh one.
            first = finished(
                resource_refresh(
                    organization=organization, resource="contacts", lexware_id=contact_ids[0]
                ),
                timeout=30,
            )
            assert first.state == OperationState.SUCCEEDED, first.error_message
            pg.restart("fast")
            close_old_connections()
            between = finished(
                resource_refresh(
                    organization=organization, resource="contacts", lexware_id=contact_ids[1]
                ),
                timeout=30,
            )
            assert between.state == OperationState.SUCCEEDED, between.error_message

            # (b) During a task: the refresh is in Lexware when PostgreSQL goes down hard; its
            # result cannot be saved, the row stays under its lease, the sweeper reruns it.
            simulator.fault(
                api_key,
                "slow",
                count=1,
                method="GET",
                pathPrefix=f"/v1/contacts/{contact_ids[2]}",
                delay=3,
            )
            during = resource_refresh(
                organization=organization, resource="contacts", lexware_id=contact_ids[2]
            )
            wait_until(
                lambda: state(during) == OperationState.RUNNING,
                timeout=20,
                what="the refresh to start",
            )
            time.sleep(1.0)
            pg.restart("immediate")
            close_old_connections()
            wait_until(
                lambda: lease_over(during),
                timeout=30,
                what="the interrupted refresh's lease to end",
            )
            runner.sweep()
            during = finished(during, timeout=30)
            assert during.state == OperationState.SUCCEEDED, during.error_message

            # (c) Down: an operation recorded before, enqueued now (a relay or sweeper run that
            # reached Redis but not PostgreSQL), and a signed-in user asking for a page.
            queued = Operation.objects.create(
                organization=organization,
                kind=REFRESH,
                lane=Lane.BULK,
                target_type="contacts",
                target_id=contact_ids[3],
                input={"resource": "contacts", "id": contact_ids[3], "voucher_type": None},
            )
            pg.stop("fast")
            status, headers, body = browser.get("/")
            assert status == 503, body[:500]
            assert headers.get("Retry-After") == "30"
            assert "Wir sind gleich wieder da" in body  # German, the portal's default language
            assert "Traceback" not in body
            assert enqueue(queued.pk)
            wait_until(
                lambda: "OperationalError" in worker.log(),
                timeout=20,
                what="the worker to meet the database being down",
            )
            pg.start()

            status, _, body = browser.get(
                "/"
            )  # the next request works: no restart of the web process
            assert status == up_status, body[:500]
            queued = finished(queued, timeout=40)  # retried by the worker itself, no sweeper needed
            assert queued.state == OperationState.SUCCEEDED, queued.error_message

            # Nothing lost: every refresh done once in effect, every contact in the mirror.
            ops = Operation.objects.filter(organization=organization, kind=REFRESH)
            assert sorted(ops.values_list("state", flat=True)) == [OperationState.SUCCEEDED] * 4
            assert (
                Contact.objects.filter(
                    organization=organization, lexware_id__in=contact_ids
                ).count()
                == 4
            )
        except BaseException:
            print(f"--- private PostgreSQL log ---\n{pg.log()}")
            if worker is not None:
                print(f"--- worker log ---\n{worker.log()}")
            raise
        finally:
            if worker is not None:
                worker.stop()
