"""The API key's end date (issue 15 item 6): admins enter it, it is checked (not past, at most
24 months ahead), and the connection page and the health page warn 30 days ahead and when it
has passed. A new key clears the old key's date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from lexware import key_fingerprint
from portal.audit.models import AuditEvent
from portal.audit.recorder import Action
from portal.connections.services import connection_save
from portal.core import crypto
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

KEY = "expiry-test-key-0000000000000abcd"


@pytest.fixture
def connection(org_a: Organization) -> LexwareConnection:
    return LexwareConnection.objects.create(
        organization=org_a,
        encrypted_api_key=crypto.encrypt(KEY),
        key_last_four=KEY[-4:],
        key_fingerprint=key_fingerprint(KEY),
        status=ConnectionStatus.OK,
    )


def _url(name: str) -> str:
    return reverse(f"connection:{name}", kwargs={"org_slug": "alpha"})


def test_an_admin_enters_the_date_and_it_is_audited(
    dave: Any, connection: LexwareConnection, client_for: Any
) -> None:
    day = timezone.localdate() + timedelta(days=300)
    response = client_for(dave).post(_url("expiry"), {"key_expires_on": day.isoformat()})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.key_expires_on == day and connection.expiry_warning() == ""
    event = AuditEvent.objects.get(action=Action.KEY_EXPIRY_SET)
    assert event.actor_id == dave.pk and event.details == {"expires_on": day.isoformat()}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ((timezone.localdate() - timedelta(days=1)).isoformat(), "has passed"),
        ((timezone.localdate() + timedelta(days=745)).isoformat(), "24 months"),
        ("31.02.2027", "valid date"),
        ("x" * 500, "valid date"),
    ],
)
def test_bad_dates_show_field_errors(
    dave: Any, connection: LexwareConnection, client_for: Any, value: str, message: str
) -> None:
    response = client_for(dave).post(_url("expiry"), {"key_expires_on": value})
    assert response.status_code == 200
    assert message in str(response.context["expiry_form"].errors["key_expires_on"])
    connection.refresh_from_db()
    assert connection.key_expires_on is None


@pytest.mark.parametrize(
    ("days", "warning", "text"),
    [(10, "soon", "expires in 10 days"), (-3, "expired", "expired on"), (90, "", None)],
)
def test_the_connection_and_health_pages_warn(
    dave: Any,
    operator: Any,
    connection: LexwareConnection,
    client_for: Any,
    days: int,
    warning: str,
    text: str | None,
) -> None:
    LexwareConnection.objects.filter(pk=connection.pk).update(
        key_expires_on=timezone.localdate() + timedelta(days=days)
    )
    connection.refresh_from_db()
    assert connection.expiry_warning() == warning
    page = client_for(dave).get(_url("detail")).content.decode()
    health = client_for(operator).get(reverse("backoffice:home")).content.decode()
    if text is None:
        assert "The API key expire" not in page and "API keys ending" not in health
    else:
        assert text in page
        assert "API keys ending" in health and connection.organization.name in health
        assert ("expired" if days < 0 else f"in {days} days") in health


def test_a_new_key_clears_the_old_keys_date(
    alice: Any, connection: LexwareConnection, django_capture_on_commit_callbacks: Any
) -> None:
    LexwareConnection.objects.filter(pk=connection.pk).update(
        key_expires_on=timezone.localdate() + timedelta(days=5)
    )
    connection_save(organization=connection.organization, user=alice, api_key=KEY[::-1])
    connection.refresh_from_db()
    assert connection.key_expires_on is None


def test_owners_are_reminded_on_the_reminder_days_only(
    alice: Any, bob: Any, connection: LexwareConnection, settings: Any
) -> None:
    from django.core import mail

    from portal.connections.reminders import key_expiry_reminders_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    LexwareConnection.objects.filter(pk=connection.pk).update(
        key_expires_on=today + timedelta(days=7)
    )
    assert key_expiry_reminders_send(today=today) == 1
    assert key_expiry_reminders_send(today=today + timedelta(days=1)) == 0  # 6 days: no mail
    (message,) = mail.outbox
    assert message.to == [alice.email]  # the owner; bob (a member) is not mailed
    assert "/o/alpha/connection/" in message.body and KEY not in message.body
    assert (
        AuditEvent.objects.filter(action=Action.EMAIL_SENT, details__about="key_expiry").count()
        == 1
    )
