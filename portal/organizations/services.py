"""Writes for organizations, memberships and invitations (HackSoft services).

Every function takes keyword arguments only, runs in one transaction and raises
ApplicationError with a message for the user when a rule forbids the change. The rules:
the last owner can be neither removed nor demoted; only owners grant or revoke the owner
role; admins manage everyone else; anyone may leave unless they are the last owner.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.recorder import Action, record
from portal.core.errors import ApplicationError
from portal.organizations.models import Invitation, Membership, Organization, Role
from portal.organizations.selectors import token_hash

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = timedelta(days=7)


def _lock_memberships(organization: Organization) -> list[Membership]:
    # Locking every membership row of the organization serialises concurrent role changes,
    # so two admins cannot each demote one of the last two owners at the same moment.
    return list(
        Membership.objects.select_for_update().filter(organization=organization).order_by("pk")
    )


def _owners_left_after(memberships: list[Membership], *, changed: Membership) -> int:
    return sum(1 for m in memberships if m.role == Role.OWNER and m.pk != changed.pk)


@transaction.atomic
def organization_create(*, user: User, name: str, slug: str) -> Organization:
    """A new organization with `user` as its owner."""
    if Organization.objects.filter(slug=slug).exists():
        raise ApplicationError(_("This short name is already taken."), extra={"field": "slug"})
    try:
        with transaction.atomic():
            organization = Organization.objects.create(name=name, slug=slug)
    except IntegrityError:
        raise ApplicationError(
            _("This short name is already taken."), extra={"field": "slug"}
        ) from None
    Membership.objects.create(user=user, organization=organization, role=Role.OWNER)
    record(Action.ORGANIZATION_CREATED, actor=user, organization=organization)
    logger.info("organization %s created by user %s", organization.pk, user.pk)
    return organization


@transaction.atomic
def membership_role_change(*, actor: Membership, membership: Membership, role: str) -> Membership:
    if actor.organization_id != membership.organization_id:
        raise ApplicationError(_("This person is not a member of this organization."))
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."))
    memberships = _lock_memberships(membership.organization)
    current = next((m for m in memberships if m.pk == membership.pk), None)
    actor_now = next((m for m in memberships if m.pk == actor.pk), None)
    if current is None or actor_now is None:
        raise ApplicationError(_("This person is not a member of this organization."))
    if not actor_now.has_role(Role.ADMIN):
        raise ApplicationError(_("Only admins and owners can change roles."))
    if Role.OWNER in (current.role, role) and actor_now.role != Role.OWNER:
        raise ApplicationError(_("Only owners can grant or revoke the owner role."))
    if (
        current.role == Role.OWNER
        and role != Role.OWNER
        and _owners_left_after(memberships, changed=current) == 0
    ):
        raise ApplicationError(
            _("The last owner cannot be demoted. Make someone else owner first.")
        )
    if current.role != role:
        record(
            Action.ROLE_CHANGED,
            actor=actor_now.user,
            organization=current.organization,
            object_type="membership",
            object_id=current.pk,
            object_repr=current.user.email,
            details={"from": current.role, "to": role},
        )
        current.role = role
        current.save(update_fields=["role"])
        logger.info("membership %s role set to %s by user %s", current.pk, role, actor_now.user_id)
    return current


@transaction.atomic
def membership_remove(*, actor: Membership, membership: Membership) -> None:
    """Removes a member; `actor == membership` means the member leaves."""
    if actor.organization_id != membership.organization_id:
        raise ApplicationError(_("This person is not a member of this organization."))
    memberships = _lock_memberships(membership.organization)
    current = next((m for m in memberships if m.pk == membership.pk), None)
    actor_now = next((m for m in memberships if m.pk == actor.pk), None)
    if current is None or actor_now is None:
        raise ApplicationError(_("This person is not a member of this organization."))
    leaving = current.pk == actor_now.pk
    if not leaving:
        if not actor_now.has_role(Role.ADMIN):
            raise ApplicationError(_("Only admins and owners can remove members."))
        if current.role == Role.OWNER and actor_now.role != Role.OWNER:
            raise ApplicationError(_("Only owners can remove an owner."))
    if current.role == Role.OWNER and _owners_left_after(memberships, changed=current) == 0:
        raise ApplicationError(
            _("The last owner cannot leave or be removed. Make someone else owner first.")
        )
    record(
        Action.MEMBER_REMOVED,
        actor=actor_now.user,
        organization=current.organization,
        object_type="membership",
        object_id=current.pk,
        object_repr=current.user.email,
        details={"role": current.role, "left": leaving},
    )
    current.delete()
    logger.info("membership %s removed by user %s", current.pk, actor_now.user_id)


def _send_invitation_email(invitation: Invitation, token: str) -> None:
    accept_path = reverse("organizations:invitation_accept", kwargs={"token": token})
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "inviter": invitation.invited_by,
        "accept_url": settings.SITE_URL + accept_path,
        "expires_at": invitation.expires_at,
        "role": invitation.get_role_display(),
    }
    subject = " ".join(render_to_string("emails/invitation-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/invitation-body.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("emails/invitation-body.html", context), "text/html"
    )
    message.send()


@transaction.atomic
def invitation_create(*, actor: Membership, email: str, role: str) -> tuple[Invitation, str]:
    """An invitation and its token (the token exists only here and in the e-mail)."""
    organization = actor.organization
    email = email.strip().lower()
    if not actor.has_role(Role.ADMIN):
        raise ApplicationError(_("Only admins and owners can invite people."))
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."), extra={"field": "role"})
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError(_("Only owners can invite owners."), extra={"field": "role"})
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ApplicationError(_("This person is already a member."), extra={"field": "email"})
    now = timezone.now()
    # A new invitation replaces any earlier one for the same address: one live link per person.
    Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=actor.user,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    record(
        Action.INVITATION_CREATED,
        actor=actor.user,
        organization=organization,
        object_type="invitation",
        object_id=invitation.pk,
        object_repr=email,
        details={"role": role},
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation, token))
    logger.info(
        "invitation %s to organization %s created by user %s",
        invitation.pk,
        organization.pk,
        actor.user_id,
    )
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: Membership, invitation: Invitation) -> None:
    if invitation.organization_id != actor.organization_id or not actor.has_role(Role.ADMIN):
        raise ApplicationError(_("You cannot revoke this invitation."))
    if invitation.role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError(_("Only owners can revoke an invitation for an owner."))
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not updated:
        raise ApplicationError(_("This invitation has already been used or revoked."))
    record(
        Action.INVITATION_REVOKED,
        actor=actor.user,
        organization=actor.organization,
        object_type="invitation",
        object_id=invitation.pk,
        object_repr=invitation.email,
    )


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accepts an invitation for an existing user, or creates the account (e-mail fixed).

    The row is locked so that a link clicked twice at once makes one membership only.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise ApplicationError(_("This invitation is not valid any more."))
    if user is None:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise ApplicationError(
                _("An account with this e-mail address exists. Sign in to accept.")
            )
        user = User.objects.create_user(locked.email, password, full_name=full_name)
    elif user.email.lower() != locked.email.lower():
        raise ApplicationError(_("This invitation was sent to a different e-mail address."))
    membership, created = Membership.objects.get_or_create(
        user=user, organization_id=locked.organization_id, defaults={"role": locked.role}
    )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    record(
        Action.INVITATION_ACCEPTED,
        actor=user,
        organization=membership.organization,
        object_type="invitation",
        object_id=locked.pk,
        object_repr=locked.email,
        details={"role": membership.role},
    )
    logger.info(
        "invitation %s accepted by user %s (new membership: %s)", locked.pk, user.pk, created
    )
    return membership


def organization_mfa_requirement_set(*, actor: Membership, required: bool) -> Organization:
    """Owners decide whether owners and admins must pass MFA for this organization."""
    if actor.role != Role.OWNER:
        raise ApplicationError(_("Only owners can change this."))
    organization = actor.organization
    with transaction.atomic():
        Organization.objects.filter(pk=organization.pk).update(require_mfa_for_admins=required)
    organization.refresh_from_db(fields=["require_mfa_for_admins"])
    record(
        Action.ORGANIZATION_MFA_REQUIREMENT,
        actor=actor.user,
        organization=organization,
        details={"required": required},
    )
    logger.info(
        "organization %s: MFA for admins and owners %s by user %s",
        organization.pk,
        "required" if required else "not required",
        actor.user_id,
    )
    return organization


BANK_FIELDS = ("bank_account_holder", "iban", "bic", "bank_name")


def organization_bank_account_set(
    *, actor: Membership, values: dict[str, str] | None
) -> Organization:
    """Admins and owners set (or with None remove) the account customers pay into. The audit
    keeps the IBAN's country and last four characters, before and after, not the whole number."""
    if not actor.has_role(Role.ADMIN):
        raise ApplicationError(_("Only admins and owners can change this."))
    organization = actor.organization
    new = {field: (values or {}).get(field, "") for field in BANK_FIELDS}
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        before = _masked_iban(locked.iban)
        Organization.objects.filter(pk=organization.pk).update(**new)
    organization.refresh_from_db(fields=list(BANK_FIELDS))
    record(
        Action.ORGANIZATION_BANK_ACCOUNT,
        actor=actor.user,
        organization=organization,
        object_type="organization",
        object_id=organization.pk,
        details={
            "iban_before": before,
            "iban_after": _masked_iban(organization.iban),
            "holder": organization.bank_account_holder,
            "bic": organization.bic,
        },
    )
    logger.info("organization %s: bank account changed by user %s", organization.pk, actor.user_id)
    return organization


LETTERHEAD_FIELDS = (
    "address_street",
    "address_zip",
    "address_city",
    "address_country",
    "tax_number",
    "vat_id",
    "managing_directors",
    "commercial_register",
)


def organization_letterhead_set(*, actor: Membership, values: dict[str, str]) -> Organization:
    """Admins and owners set the letterhead of previews and statements (issue 19). The audit
    names each changed field with its old and new value: none of them is a secret, and they
    are printed on every document."""
    if not actor.has_role(Role.ADMIN):
        raise ApplicationError(_("Only admins and owners can change this."))
    organization = actor.organization
    new = {field: str(values.get(field) or "") for field in LETTERHEAD_FIELDS}
    new["address_country"] = new["address_country"] or "DE"
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        changed = {
            field: {"before": getattr(locked, field), "after": value}
            for field, value in new.items()
            if getattr(locked, field) != value
        }
        Organization.objects.filter(pk=organization.pk).update(**new)
    organization.refresh_from_db(fields=list(LETTERHEAD_FIELDS))
    if changed:
        record(
            Action.ORGANIZATION_LETTERHEAD,
            actor=actor.user,
            organization=organization,
            object_type="organization",
            object_id=organization.pk,
            details={"changed": changed},
        )
    return organization


def organization_statement_offer_set(*, actor: Membership, enabled: bool) -> Organization:
    """Admins and owners decide whether customer links offer the customer's statement of open
    items (issue 19): it shows every open item of that customer to whoever holds a link."""
    if not actor.has_role(Role.ADMIN):
        raise ApplicationError(_("Only admins and owners can change this."))
    organization = actor.organization
    Organization.objects.filter(pk=organization.pk).update(statement_on_customer_link=enabled)
    organization.refresh_from_db(fields=["statement_on_customer_link"])
    record(
        Action.ORGANIZATION_CUSTOMER_LINKS,
        actor=actor.user,
        organization=organization,
        object_type="organization",
        object_id=organization.pk,
        details={"statement_on_customer_link": enabled},
    )
    return organization


def _masked_iban(iban: str) -> str:
    return f"{iban[:2]}…{iban[-4:]}" if iban else ""
