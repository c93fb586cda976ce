"""The session engine (SESSION_ENGINE): Django's database sessions, with the one read every
signed-in request makes written out as SQL.

Building the ORM query for it cost more than running it: loading a session took 0.51 ms, of
which the statement was 0.15 ms (the benchmark machine, issue 18). On PostgreSQL only; saving,
creating, deleting and `clearsessions` stay Django's; tests/portal/accounts/test_sessions.py
holds the read equal to Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        model = self.model
        if not self.session_key:  # None once Django found the cookie's key malformed
            self._session_key = None
            return None
        connection = connections[router.db_for_read(model)]
        if connection.vendor != "postgresql":  # the demo's SQLite: Django's own read
            return super()._get_session_from_db()  # type: ignore[misc]  # not in django-stubs
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "session_data", "expire_date" FROM {table} '  # noqa: S608 - no input in it
                'WHERE "session_key" = %s AND "expire_date" > %s',
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django: unknown or expired, a new key on save
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
