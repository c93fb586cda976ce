"""Starting writes for an organization's Lexware connection (issue 2 §6): save, verify, forget."""

from __future__ import annotations

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from lexware import key_fingerprint
from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.core import crypto
from portal.operations.models import Operation
from portal.operations.services import operation_start
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization

logger = logging.getLogger(__name__)

VERIFY = "connection.verify"


@transaction.atomic
def connection_save(*, organization: Organization, user: User, api_key: str) -> Operation:
    """Store a new API key (encrypted) and verify it in the background."""
    api_key = api_key.strip()
    _connection, created = LexwareConnection.objects.update_or_create(
        organization=organization,
        defaults={
            "encrypted_api_key": crypto.encrypt(api_key),
            "key_last_four": api_key[-4:],
            "key_fingerprint": key_fingerprint(api_key),
            "status": ConnectionStatus.UNVERIFIED,
            "status_detail": "",
            "created_by": user,
            "created_at": timezone.now(),
            # A new key has its own end date; the old key's is no longer true.
            "key_expires_on": None,
        },
    )
    record(
        Action.KEY_SAVED if created else Action.KEY_ROTATED,
        actor=user,
        organization=organization,
        object_type="connection",
        object_repr=f"…{api_key[-4:]}",
    )
    logger.info("organization %s: Lexware API key replaced by user %s", organization.pk, user.pk)
    return connection_verify(organization=organization, user=user)


@transaction.atomic
def connection_verify(*, organization: Organization, user: User | None) -> Operation:
    LexwareConnection.objects.filter(organization=organization).update(
        status=ConnectionStatus.UNVERIFIED
    )
    return operation_start(organization=organization, kind=VERIFY, user=user, target_type="profile")


@transaction.atomic
def connection_disconnect(*, organization: Organization, user: User) -> None:
    """Forget the key. The mirror stays readable; nothing is sent to Lexware any more."""
    LexwareConnection.objects.filter(organization=organization).delete()
    record(Action.KEY_REMOVED, actor=user, organization=organization, object_type="connection")
    logger.info("organization %s: Lexware connection removed by user %s", organization.pk, user.pk)


@transaction.atomic
def connection_expiry_set(
    *, organization: Organization, user: User, expires_on: date | None
) -> None:
    """The admin enters the key's end date (Lexware does not tell it through the API)."""
    LexwareConnection.objects.filter(organization=organization).update(key_expires_on=expires_on)
    record(
        Action.KEY_EXPIRY_SET,
        actor=user,
        organization=organization,
        object_type="connection",
        details={"expires_on": expires_on.isoformat() if expires_on else None},
    )
