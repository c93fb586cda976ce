"""The database unreachable answers 503 "back in a moment", never a 500 traceback
(reliability.md R9 (c)). The real restart of a PostgreSQL of its own is in
tests/reliability/test_postgres_restart.py; here the session store fails as it does then."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from portal.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("error", "language", "words"),
    [
        (OperationalError, "de", "Wir sind gleich wieder da"),
        (InterfaceError, "de", "Wir sind gleich wieder da"),
        (OperationalError, "en", "Back in a moment"),
    ],
)
def test_database_errors_answer_503_with_retry_after(
    alice: User, monkeypatch: pytest.MonkeyPatch, error: type, language: str, words: str
) -> None:
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    client.force_login(alice)

    def down(self: object) -> None:
        raise error("connection to server at 127.0.0.1 failed: Connection refused")

    # The first thing a signed-in request reads is its session, in middleware before any view.
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", down)
    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert words in body  # in the language LocaleMiddleware chose before the database failed
    assert "Traceback" not in body and "connection to server" not in body


def test_other_errors_still_answer_500(alice: User, monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(alice)

    def broken(self: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    response = client.get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response
