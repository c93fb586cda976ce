"""Writes for MFA (issue 16 item 1): enrolment, recovery codes, turning it off, and the reset
by an operator. Keyword-only; never logs a secret or a recovery code."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.core.errors import ApplicationError

security_log = logging.getLogger("portal.security")


def totp_setup_start(*, user: User) -> TOTPDevice:
    """A fresh secret for the authenticator app. An earlier unfinished enrolment is dropped, so
    only the QR code on screen now can be confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


def totp_setup_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """The code checked out: this device becomes the user's one authenticator (replacing an
    earlier one) and a new set of recovery codes is made. Returns the codes, to be shown once."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_regenerate(user=user)
    record(Action.MFA_ENROLLED, actor=user, object_type="user", object_id=user.pk)
    security_log.info("MFA enrolled for user %s", user.pk)
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new one-time codes; the old ones stop working at once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "recovery codes", "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _n in range(settings.MFA_RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record(Action.MFA_CODES_REGENERATED, actor=user, object_type="user", object_id=user.pk)
    security_log.info("MFA recovery codes regenerated for user %s", user.pk)
    return codes


def _delete_devices(user: User) -> int:
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        count, _details = model.objects.filter(user=user).delete()
        deleted += count
    return deleted


def mfa_disable(*, user: User) -> None:
    """The user turns MFA off themselves (after re-authentication)."""
    with transaction.atomic():
        _delete_devices(user)
    record(Action.MFA_DISABLED, actor=user, object_type="user", object_id=user.pk)
    security_log.warning("MFA turned off by user %s", user.pk)


def sign_out_everywhere(*, operator: User | None, user: User, reason: str) -> None:
    """End every session of `user` at its next request (all devices, all machines)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    if operator is not None:
        LogEntry.objects.log_actions(
            user_id=operator.pk,
            queryset=User.objects.filter(pk=user.pk),
            action_flag=CHANGE,
            change_message=f"Signed out everywhere: {reason}",
            single_object=True,
        )
    security_log.warning(
        "all sessions of user %s ended (%s) by %s",
        user.pk,
        reason,
        f"operator {operator.pk}" if operator else "the system",
    )


def mfa_reset(*, operator: User, user: User) -> None:
    """An operator removes a user's devices (a lost phone), with an entry in the admin's log.

    Operators cannot reset their own: otherwise a stolen operator password would be enough
    to replace the operator's second factor."""
    if operator.pk == user.pk:
        raise ApplicationError(
            _("You cannot reset your own two-factor authentication. Ask another operator.")
        )
    with transaction.atomic():
        _delete_devices(user)
        LogEntry.objects.log_actions(
            user_id=operator.pk,
            queryset=User.objects.filter(pk=user.pk),
            action_flag=CHANGE,
            change_message="Two-factor authentication reset: authenticator app and recovery codes removed.",
            single_object=True,
        )
        # Whoever holds the lost phone may hold a session too.
        sign_out_everywhere(operator=operator, user=user, reason="two-factor authentication reset")
        record(
            Action.MFA_RESET,
            actor=operator,
            object_type="user",
            object_id=user.pk,
            object_repr=user.email,
        )
    security_log.warning("MFA reset for user %s by operator %s", user.pk, operator.pk)
