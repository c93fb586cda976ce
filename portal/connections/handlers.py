"""Worker side of the connection: verifying a key against /v1/profile (lexware-api.md §5.19)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lexware import errors as lx
from portal.connections.services import VERIFY
from portal.operations.models import Operation
from portal.operations.registry import OperationFailed, operation_kind
from portal.organizations.models import ConnectionStatus, LexwareConnection
from portal.organizations.signals import connection_verified

if TYPE_CHECKING:
    from lexware import LexwareClient


def _connection_page(operation: Operation) -> str:
    return reverse("connection:detail", kwargs={"org_slug": operation.organization.slug})


@operation_kind(
    VERIFY,
    label=gettext_lazy("Check the Lexware connection"),
    result_url=_connection_page,
    needs_usable_connection=False,
)
def verify_connection(operation: Operation, client: LexwareClient) -> dict[str, Any]:
    """Fetch the profile and record what it says about the key."""
    connection = LexwareConnection.objects.get(organization_id=operation.organization_id)
    was_ok = connection.verified_at is not None and connection.lexware_organization_id is not None
    try:
        profile = client.profile.get()
    except lx.AuthenticationError:
        connection.set_status(
            ConnectionStatus.INVALID_KEY, _("Lexware answered 401: the key is invalid or disabled.")
        )
        raise OperationFailed(_("Lexware rejected this API key (401).")) from None
    except lx.PermissionDeniedError:
        connection.set_status(
            ConnectionStatus.FORBIDDEN, _("Lexware answered 403: the key lacks permissions.")
        )
        raise OperationFailed(
            _("This API key lacks the permissions the portal needs (403).")
        ) from None
    except (lx.APIConnectionError, lx.InternalServerError, lx.RateLimitError) as exc:
        reason = (
            f"{type(exc).__name__}: {exc.message}"
            if isinstance(exc, lx.LexwareError)
            else type(exc).__name__
        )
        connection.set_status(ConnectionStatus.UNREACHABLE, reason)
        raise OperationFailed(
            _("Lexware could not be reached (%(reason)s).") % {"reason": reason}
        ) from None
    taken = LexwareConnection.objects.filter(
        lexware_organization_id=profile.organization_id
    ).exclude(pk=connection.pk)
    if taken.exists():
        # One Lexware organization, one portal organization: webhooks name only Lexware's.
        connection.set_status(
            ConnectionStatus.TAKEN,
            _("This Lexware organization is connected to another portal organization."),
        )
        raise OperationFailed(
            _(
                "This Lexware account is already connected to another organization in the portal. "
                "Disconnect it there first, or use the key of another Lexware account."
            )
        )
    connection.status = ConnectionStatus.OK
    connection.status_detail = ""
    connection.company_name = profile.company_name or ""
    connection.lexware_organization_id = profile.organization_id
    connection.lexware_connection_id = profile.connection_id
    connection.profile = profile.to_api()
    connection.verified_at = timezone.now()
    connection.save()
    connection_verified.send(
        sender=LexwareConnection,
        organization=connection.organization,
        connection=connection,
        first_time=not was_ok,
    )
    return {
        "company_name": connection.company_name,
        "organization_id": str(profile.organization_id),
        "connection_id": str(profile.connection_id),
    }
