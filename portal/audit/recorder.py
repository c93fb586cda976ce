"""record(): the one way to write the audit trail. Every app calls it with one line.

    record(Action.KEY_SAVED, organization=organization, object_type="connection")

The person and network come from the request (context.py) unless given; from a worker the
actor is the system. Details are kept small and never hold a secret: keys that look like one
are dropped and long strings are cut.

E-mails and share links (issue 15 item 3) call it the same way when they exist:
    record(Action.EMAIL_SENT, organization=org, object_type="document", object_id=..., details={"to_domain": "example.org"})
    record(Action.SHARE_LINK_CREATED | SHARE_LINK_REVOKED | SHARE_LINK_OPENED, organization=org, object_type="share_link", object_id=...)
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.audit import context
from portal.audit.models import AuditEvent


class Action(models.TextChoices):
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Sign-in failed")
    LOCKED_OUT = "auth.locked_out", _("Sign-in locked after failures")
    LOGOUT = "auth.logout", _("Signed out")
    MFA_ENROLLED = "mfa.enrolled", _("Two-factor authentication set up")
    MFA_CODES_REGENERATED = "mfa.recovery_codes", _("New recovery codes made")
    MFA_DISABLED = "mfa.disabled", _("Two-factor authentication turned off")
    MFA_RESET = "mfa.reset", _("Two-factor authentication reset by an operator")
    ORGANIZATION_CREATED = "org.created", _("Organization created")
    ORGANIZATION_MFA_REQUIREMENT = "org.mfa_requirement", _("Two-factor requirement changed")
    ORGANIZATION_BANK_ACCOUNT = "org.bank_account", _("Bank account changed")
    ORGANIZATION_LETTERHEAD = "org.letterhead", _("Letterhead changed")
    ORGANIZATION_CUSTOMER_LINKS = "org.customer_links", _("Customer link settings changed")
    ROLE_CHANGED = "member.role_changed", _("Role changed")
    MEMBER_REMOVED = "member.removed", _("Member removed")
    INVITATION_CREATED = "invitation.created", _("Invitation sent")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation revoked")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    KEY_SAVED = "connection.key_saved", _("API key saved")
    KEY_ROTATED = "connection.key_rotated", _("API key replaced")
    KEY_VERIFIED = "connection.key_verified", _("API key verified")
    KEY_REJECTED = "connection.key_rejected", _("API key check failed")
    KEY_REMOVED = "connection.key_removed", _("API key removed")
    KEY_EXPIRY_SET = "connection.key_expiry", _("API key expiry date entered")
    WRITE_STARTED = "lexware.write_started", _("Lexware change started")
    WRITE_SUCCEEDED = "lexware.write_succeeded", _("Lexware change done")
    WRITE_FAILED = "lexware.write_failed", _("Lexware change failed")
    WRITE_UNKNOWN = "lexware.write_unknown", _("Lexware change outcome unknown")
    OPERATION_RETRIED = "operator.operation_retried", _("Operation retried by an operator")
    OPERATION_RESOLVED = "operator.operation_resolved", _("Operation resolved by an operator")
    SUBSCRIPTIONS_CHECKED = "operator.subscriptions_checked", _("Subscription check started")
    AUDIT_EXPORTED = "audit.exported", _("Audit trail exported")
    SUPPORT_STARTED = "operator.support_started", _("Support access started")
    SUPPORT_PAGE_VIEWED = "operator.support_page", _("Page seen by support")
    SUPPORT_ENDED = "operator.support_ended", _("Support access ended")
    CONSOLE_CALL = "console.call", _("API console call started")
    CONSOLE_ANSWERED = "console.answered", _("API console call answered")
    SHARE_LINK_CREATED = "share_link.created", _("Share link created")
    SHARE_LINK_REVOKED = "share_link.revoked", _("Share link revoked")
    SHARE_LINK_REGENERATED = "share_link.regenerated", _("Share link given a new address")
    SHARE_LINK_OPENED = "share_link.opened", _("Share link opened")
    SHARE_LINK_RESENT = "share_link.resent", _("New link sent on the customer's request")
    EMAIL_SENT = "email.sent", _("E-mail sent")
    DRAFT_REPLACED = "sales.draft_replaced", _("Draft finalized as a new document")


_LABELS = dict(Action.choices)
_SECRET_NAME = re.compile(
    r"(api_?key|token|password|secret|authorization|otp|recovery_codes?)$", re.I
)
_MAX_TEXT = 500


def action_label(action: str) -> str:
    return str(_LABELS.get(action, action))


def _text(value: Any, limit: int) -> str:
    # PostgreSQL stores no NUL in text or JSON: a typed one must not fail the recording.
    return str(value).replace("\x00", "")[:limit]


def _clean(value: Any, depth: int = 0) -> Any:
    if depth > 4:
        return "…"
    if isinstance(value, dict):
        return {
            _text(key, 60): _clean(item, depth + 1)
            for key, item in list(value.items())[:50]
            if not _SECRET_NAME.search(str(key))
        }
    if isinstance(value, list | tuple):
        return [_clean(item, depth + 1) for item in list(value)[:50]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return _text(value, _MAX_TEXT)


def _user_label(user: Any) -> str:
    return _text(getattr(user, "email", "") or getattr(user, "pk", "") or "", 254)


def record(
    action: str,
    *,
    actor: Any | None = None,
    organization: Any | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    operation: Any | None = None,
    details: dict[str, Any] | None = None,
    ip_prefix: str | None = None,
    system: bool = False,
) -> AuditEvent:
    """Append one event. `actor` defaults to the signed-in user of this request (none from a
    worker, or with system=True); `organization` defaults to the operation's."""
    current = context.current()
    if actor is None and not system and current is not None:
        actor = current.user
    if ip_prefix is None:
        ip_prefix = current.ip_prefix if current is not None else ""
    if organization is None and operation is not None:
        organization = operation.organization
    return AuditEvent.objects.create(
        action=action,
        actor_id=getattr(actor, "pk", None),
        actor_label=_user_label(actor) if actor is not None else "",
        actor_is_operator=bool(getattr(actor, "is_staff", False)),
        organization_id=getattr(organization, "pk", None),
        organization_label=_text(getattr(organization, "name", "") or "", 200),
        object_type=_text(object_type, 40),
        object_id=_text(object_id or "", 64),
        object_repr=_text(object_repr or "", 200),
        operation_id=getattr(operation, "pk", None),
        ip_prefix=_text(ip_prefix, 50),
        details=_clean(details or {}),
    )
