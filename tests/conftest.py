"""The cast (DESIGN.md §6): alice owns org A, bob is a member of A, carol a viewer of A,
charlie owns org B. Plus helpers for services that must run in CI and may skip elsewhere."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.organizations.models import Membership, Organization, Role

PASSWORD = "correct horse battery staple"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, host: str, port: int) -> None:
    """In CI a missing service is a failure; on a laptop the test is skipped."""
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message}; CI needs it (start it as DESIGN.md §4 says)", pytrace=False)
    pytest.skip(message)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The reliability tests take turns on one Redis broker (tests/reliability/conftest.py) and
    # form one xdist group: collected first, one worker runs them while the other takes the
    # rest, instead of both workers waiting on the broker lock at the end of the run.
    items.sort(key=lambda item: "tests/reliability/" not in str(item.path))
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.fixturenames.insert(0, "_needs_postgres")
        if item.get_closest_marker("redis") is not None:
            item.fixturenames.insert(0, "_needs_redis")


@pytest.fixture
def _needs_postgres() -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if IN_CI:
            pytest.fail(
                "CI must run on PostgreSQL: DATABASE_URL is not a postgres URL", pytrace=False
            )
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    require_service("PostgreSQL", "127.0.0.1", 5432)


@pytest.fixture
def _needs_redis() -> None:
    require_service("Redis", "127.0.0.1", 6379)


@pytest.fixture
def redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def _user(email: str, name: str) -> User:
    # The cast keeps "browser default" as language (new users get German, issue 9), so a test
    # chooses the language per request with Accept-Language; client_for asks for English, the
    # source text most feature tests assert. tests/portal/i18n renders every page in German.
    return User.objects.create_user(email, PASSWORD, full_name=name, language="")


@pytest.fixture
def org_a(db: None) -> Organization:
    return Organization.objects.create(name="Alpha Werkstatt GmbH", slug="alpha")


@pytest.fixture
def org_b(db: None) -> Organization:
    return Organization.objects.create(name="Beta Handel KG", slug="beta")


@pytest.fixture
def alice(org_a: Organization) -> User:
    user = _user("alice@example.org", "Alice Adler")
    Membership.objects.create(user=user, organization=org_a, role=Role.OWNER)
    return user


@pytest.fixture
def bob(org_a: Organization) -> User:
    user = _user("bob@example.org", "Bob Bauer")
    Membership.objects.create(user=user, organization=org_a, role=Role.MEMBER)
    return user


@pytest.fixture
def carol(org_a: Organization) -> User:
    user = _user("carol@example.org", "Carol Conrad")
    Membership.objects.create(user=user, organization=org_a, role=Role.VIEWER)
    return user


@pytest.fixture
def charlie(org_b: Organization) -> User:
    user = _user("charlie@example.org", "Charlie Cramer")
    Membership.objects.create(user=user, organization=org_b, role=Role.OWNER)
    return user


@pytest.fixture
def cast(alice: User, bob: User, carol: User, charlie: User) -> dict[str, User]:
    return {"alice": alice, "bob": bob, "carol": carol, "charlie": charlie}


def enrol_totp(user: User) -> TOTPDevice:
    """A confirmed authenticator app and recovery codes for `user`, as after enrolment."""
    from portal.accounts.services import recovery_codes_regenerate

    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    recovery_codes_regenerate(user=user)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at a given time)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():0{device.digits}d}"


def mark_session_verified(client: Client, user: User) -> None:
    """The session passed the second factor, as after the code page (django-otp's session key)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for() -> Iterator[object]:
    """client_for(user) -> a signed-in test Client; client_for(None) -> anonymous.

    Like a completed sign-in: a user with an authenticator app has passed the code as well
    (mfa_verified=False leaves the session at the password step's level).

    The client's browser asks for English (the source text the feature tests assert); a test
    that wants German passes headers={"Accept-Language": "de"} with the request.
    """
    clients: list[Client] = []

    def make(user: User | None, *, mfa_verified: bool = True) -> Client:
        client = Client(headers={"Accept-Language": "en"})
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            if mfa_verified and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                mark_session_verified(client, user)
        clients.append(client)
        return client

    yield make


@pytest.fixture
def dave(org_a: Organization) -> User:
    """An admin (not owner) of org A: the lowest role that manages members."""
    user = _user("dave@example.org", "Dave Decker")
    Membership.objects.create(user=user, organization=org_a, role=Role.ADMIN)
    return user


@pytest.fixture
def operator(db: None) -> User:
    """A platform operator (is_staff) without any membership, enrolled in MFA as operators
    must be to reach the backoffice (issue 16 item 1)."""
    user = User.objects.create_user(
        "operator@example.org", PASSWORD, full_name="Olga Operator", is_staff=True, language=""
    )
    enrol_totp(user)
    return user


@pytest.fixture(autouse=True)
def _no_language_leaks_between_tests() -> Iterator[None]:
    """A request in English activates English for the rest of the thread; each test starts and
    ends with the default (German) so that no test depends on the one before it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()
