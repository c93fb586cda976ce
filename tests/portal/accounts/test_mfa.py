"""MFA: enrolment, the code step at sign-in, throttling, recovery codes (issue 16 item 1,
reliability.md S6). The gates (operators, organizations), the operator's reset and sudo mode
are in test_mfa_gates.py."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from tests.conftest import PASSWORD, enrol_totp, totp_code

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
DASHBOARD = "/o/alpha/"


def _password_step(client: Client, email: str = "alice@example.org", next_url: str = "") -> Any:
    data = {"username": email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def _codes(user: User) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


# ---------------------------------------------------------------- enrolment


def test_enrolment_shows_a_qr_code_and_the_key_and_turns_on_with_a_code(
    alice: User, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(alice)
    assert 'id="mfa-off"' in client.get("/accounts/mfa/").content.decode()
    started = client.post("/accounts/mfa/setup/start/")
    assert started.status_code == 302 and started["Location"].startswith("/accounts/mfa/setup/")
    page = client.get("/accounts/mfa/setup/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=alice)
    assert not device.confirmed
    # The QR code is an image of an SVG data URI (CSP img-src allows data:, no inline script).
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None
    from base64 import b32decode

    key = secret.group(1).replace(" ", "")
    assert b32decode(key + "=" * (-len(key) % 8)) == device.bin_key

    wrong = client.post(
        "/accounts/mfa/setup/", {"code": "000000" if totp_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    with time_machine.travel(timedelta(seconds=3)):  # past the throttle of the wrong try
        confirmed = client.post("/accounts/mfa/setup/", {"code": totp_code(device)})
    assert confirmed.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = _codes(alice)
    assert len(codes) == settings.MFA_RECOVERY_CODE_COUNT == 10
    body = confirmed.content.decode()
    assert all(code in body for code in codes)
    # The session that enrolled counts as verified; the codes are shown once only.
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert not any(code in client.get("/accounts/mfa/").content.decode() for code in codes)
    # No secret in any log line.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert (
        device.key not in logged and key not in logged and not any(code in logged for code in codes)
    )


def test_a_new_enrolment_replaces_the_old_authenticator(alice: User, client_for: Any) -> None:
    old = enrol_totp(alice)
    client = client_for(alice)
    client.post("/accounts/mfa/setup/start/")
    new = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert client.post("/accounts/mfa/setup/", {"code": totp_code(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=alice).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_new_recovery_codes_replace_the_old_ones(alice: User, client_for: Any) -> None:
    enrol_totp(alice)
    old = set(_codes(alice))
    response = client_for(alice).post("/accounts/mfa/recovery-codes/")
    assert response.status_code == 200
    new = set(_codes(alice))
    assert len(new) == 10 and not old & new
    assert all(code in response.content.decode() for code in new)


def test_turning_mfa_off_removes_every_device(alice: User, client_for: Any) -> None:
    enrol_totp(alice)
    response = client_for(alice).post("/accounts/mfa/disable/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()


# ---------------------------------------------------------------- sign-in


def test_without_mfa_the_password_signs_in_as_before(alice: User) -> None:
    client = Client(headers={"Accept-Language": "en"})
    response = _password_step(client)
    assert response.status_code == 302 and response["Location"] == reverse("organizations:home")
    assert client.get(DASHBOARD).status_code == 200


def test_an_enrolled_user_is_not_signed_in_before_the_code(alice: User) -> None:
    device = enrol_totp(alice)
    client = Client(headers={"Accept-Language": "en"})
    response = _password_step(client, next_url="/o/alpha/contacts/")
    assert response.status_code == 302 and response["Location"] == CODE
    # Password alone: the session is not signed in, every page still asks to sign in.
    assert SESSION_KEY not in client.session
    assert client.get(DASHBOARD)["Location"].startswith(LOGIN)
    assert client.get("/accounts/profile/")["Location"].startswith(LOGIN)
    assert client.get(CODE).status_code == 200

    done = client.post(CODE, {"code": totp_code(device)})
    assert done.status_code == 302 and done["Location"] == "/o/alpha/contacts/"
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(DASHBOARD).status_code == 200


def test_the_session_key_changes_at_each_step(alice: User) -> None:
    enrol_totp(alice)
    client = Client(headers={"Accept-Language": "en"})
    session = client.session
    session["anonymous"] = True
    session.save()
    anonymous_key = session.session_key
    _password_step(client)
    pending_key = client.session.session_key
    assert pending_key != anonymous_key
    client.post(CODE, {"code": totp_code(TOTPDevice.objects.get(user=alice))})
    assert client.session.session_key != pending_key


def test_a_wrong_code_is_refused_and_the_next_try_is_throttled(alice: User) -> None:
    device = enrol_totp(alice)
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel("2026-03-02 09:00:00 +0000", tick=False) as traveller:
        _password_step(client)
        right = totp_code(device)
        wrong = client.post(CODE, {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
        assert wrong.status_code == 200
        assert "This code is not correct." in wrong.content.decode()
        # Even the right code is not looked at while the device is throttled (1 s, then 2 s, …).
        throttled = client.post(CODE, {"code": right})
        assert throttled.status_code == 200 and "Too many wrong codes" in throttled.content.decode()
        assert SESSION_KEY not in client.session
        traveller.shift(timedelta(seconds=2))
        ok = client.post(CODE, {"code": totp_code(device)})
        assert ok.status_code == 302
        assert client.session[SESSION_KEY] == str(alice.pk)


def test_repeated_wrong_codes_wait_longer_each_time(alice: User) -> None:
    device = enrol_totp(alice)
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel("2026-03-02 09:00:00 +0000", tick=False) as traveller:
        _password_step(client)
        for _attempt in range(4):
            client.post(CODE, {"code": "000001"})
            traveller.shift(timedelta(seconds=20))
        device.refresh_from_db()
        assert device.throttling_failure_count == 4
        # After 4 failures the next try waits 8 s: 5 s later the right code is still refused.
        client.post(CODE, {"code": "000002"})
        traveller.shift(timedelta(seconds=5))
        assert (
            "Too many wrong codes"
            in client.post(CODE, {"code": totp_code(device)}).content.decode()
        )


def test_a_recovery_code_signs_in_once(alice: User) -> None:
    enrol_totp(alice)
    code = _codes(alice)[0]
    client = Client(headers={"Accept-Language": "en"})
    _password_step(client)
    response = client.post(CODE, {"code": code.upper()[:4] + "-" + code.upper()[4:]})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)
    assert code not in _codes(alice) and len(_codes(alice)) == 9

    client.post("/accounts/logout/")
    again = Client(headers={"Accept-Language": "en"})
    _password_step(again)
    with time_machine.travel(timedelta(seconds=1)):
        refused = again.post(CODE, {"code": code})
    assert refused.status_code == 200 and "This code is not correct." in refused.content.decode()
    assert SESSION_KEY not in again.session


def test_the_code_page_without_a_password_step_goes_back_to_sign_in(alice: User) -> None:
    enrol_totp(alice)
    response = Client(headers={"Accept-Language": "en"}).post(CODE, {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_a_half_finished_sign_in_expires(alice: User) -> None:
    device = enrol_totp(alice)
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel("2026-03-02 09:00:00 +0000", tick=False) as traveller:
        _password_step(client)
        traveller.shift(timedelta(seconds=settings.MFA_PENDING_LOGIN_SECONDS + 1))
        response = client.post(CODE, {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_a_session_signed_in_before_enrolment_is_asked_for_the_code(
    alice: User, client_for: Any
) -> None:
    client = client_for(alice)
    device = enrol_totp(alice)  # e.g. in another browser
    assert client.get(CODE + "?next=/accounts/mfa/").status_code == 200
    response = client.post(CODE + "?next=/accounts/mfa/", {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/accounts/mfa/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_code_and_enrolment_pages_read_german(alice: User, client_for: Any) -> None:
    enrol_totp(alice)
    client = Client(headers={"Accept-Language": "de"})
    _password_step(client)
    code_page = client.get(CODE).content.decode()
    assert "Zwei-Faktor-Authentifizierung" in code_page and "Wiederherstellungscodes" in code_page
    TOTPDevice.objects.filter(user=alice).delete()
    StaticDevice.objects.filter(user=alice).delete()
    german = client_for(alice)
    german.post("/accounts/mfa/setup/start/")
    setup = german.get("/accounts/mfa/setup/", headers={"Accept-Language": "de"}).content.decode()
    assert (
        "Zwei-Faktor-Authentifizierung einrichten" in setup
        and "Bestätigen und einschalten" in setup
    )
