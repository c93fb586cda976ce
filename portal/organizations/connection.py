"""Services and the verify operation for an organization's Lexware connection (issue 2 §6)."""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.core import crypto
from portal.operations.models import Operation
from portal.operations.registry import OperationFailed, operation_kind
from portal.operations.services import operation_start
from portal.organizations.models import ConnectionStatus, LexwareConnection, Organization
from portal.organizations.signals import connection_verified

if TYPE_CHECKING:
    from lexware import LexwareClient

logger = logging.getLogger(__name__)

VERIFY = "connection.verify"


def key_fingerprint(api_key: str) -> str:
    """Stable, non-secret name of a key (same as lexware.ratelimit's budget key)."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


@transaction.atomic
def connection_save(*, organization: Organization, user: User, api_key: str) -> Operation:
    """Store a new API key (encrypted) and verify it in the background."""
    api_key = api_key.strip()
    LexwareConnection.objects.update_or_create(
        organization=organization,
        defaults={
            "encrypted_api_key": crypto.encrypt(api_key),
            "key_last_four": api_key[-4:],
            "key_fingerprint": key_fingerprint(api_key),
            "status": ConnectionStatus.UNVERIFIED,
            "status_detail": "",
            "created_by": user,
            "created_at": timezone.now(),
        },
    )
    logger.info("organization %s: Lexware API key replaced by user %s", organization.pk, user.pk)
    return connection_verify(organization=organization, user=user)


@transaction.atomic
def connection_verify(*, organization: Organization, user: User | None) -> Operation:
    LexwareConnection.objects.filter(organization=organization).update(status=ConnectionStatus.UNVERIFIED)
    return operation_start(organization=organization, kind=VERIFY, user=user, target_type="profile")


@transaction.atomic
def connection_disconnect(*, organization: Organization, user: User) -> None:
    """Forget the key. The mirror stays readable; nothing is sent to Lexware any more."""
    LexwareConnection.objects.filter(organization=organization).delete()
    logger.info("organization %s: Lexware connection removed by user %s", organization.pk, user.pk)


def _set_status(connection: LexwareConnection, status: str, detail: str = "") -> None:
    connection.status = status
    connection.status_detail = detail[:500]
    connection.save(update_fields=["status", "status_detail"])


@operation_kind(VERIFY, repeatable=True, needs_usable_connection=False)
def verify_connection(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """Fetch /v1/profile and record what it says about the key (lexware-api.md §5.19)."""
    from lexware import errors as lx

    connection = LexwareConnection.objects.get(organization_id=operation.organization_id)
    was_ok = connection.verified_at is not None and connection.lexware_organization_id is not None
    try:
        profile = client.profile.get()
    except lx.AuthenticationError:
        _set_status(connection, ConnectionStatus.INVALID_KEY, "Lexware answered 401: the key is invalid or disabled.")
        raise OperationFailed("Lexware rejected this API key (401).") from None
    except lx.PermissionDeniedError:
        _set_status(connection, ConnectionStatus.FORBIDDEN, "Lexware answered 403: the key lacks permissions.")
        raise OperationFailed("This API key lacks the permissions the portal needs (403).") from None
    except (lx.APIConnectionError, lx.InternalServerError, lx.RateLimitError) as exc:
        reason = f"{type(exc).__name__}: {exc.message}" if isinstance(exc, lx.LexwareError) else type(exc).__name__
        _set_status(connection, ConnectionStatus.UNREACHABLE, reason)
        raise OperationFailed(f"Lexware could not be reached ({reason}).") from None
    connection.status = ConnectionStatus.OK
    connection.status_detail = ""
    connection.company_name = profile.company_name or ""
    connection.lexware_organization_id = profile.organization_id
    connection.lexware_connection_id = profile.connection_id
    connection.profile = profile.to_api()
    connection.verified_at = timezone.now()
    connection.save()
    organization = connection.organization
    connection_verified.send(
        sender=LexwareConnection, organization=organization, connection=connection, first_time=not was_ok
    )
    return {
        "company_name": connection.company_name,
        "organization_id": str(profile.organization_id),
        "connection_id": str(profile.connection_id),
    }
