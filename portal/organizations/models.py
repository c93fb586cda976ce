from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The connection page and the health page warn this many days before a key's entered end.
KEY_EXPIRY_WARNING_DAYS = 30
# Lexware's keys last at most this long (Lexware Office › Public API).
KEY_MAX_MONTHS = 24


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


# Higher rank includes everything a lower rank may do.
ROLE_RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}


def role_at_least(role: str, minimum: str) -> bool:
    return ROLE_RANK[Role(role)] >= ROLE_RANK[Role(minimum)]


class Organization(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Owners and admins (who hold the Lexware key and the members) must pass MFA for every page
    # of this organization; members and viewers are not asked (issue 16 item 1).
    require_mfa_for_admins = models.BooleanField(
        _("require MFA for admins and owners"), default=False
    )
    # The account customers pay into: printed on draft previews and statements, and encoded in
    # the GiroCode of an open invoice's customer page. Lexware's profile has no bank account and
    # /v1/bank-accounts does not exist (lexware-api.md §5.19, appendix), so the organization
    # enters it here.
    bank_account_holder = models.CharField(_("account holder"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    # The letterhead of draft previews and statements (issue 19): Lexware's profile gives the
    # company name only (lexware-api.md §5.19), so the organization enters its address, tax
    # numbers and the legal lines a German business letter's footer carries (§35a GmbHG).
    address_street = models.CharField(_("street and number"), max_length=100, blank=True)
    address_zip = models.CharField(_("postcode"), max_length=10, blank=True)
    address_city = models.CharField(_("city"), max_length=100, blank=True)
    address_country = models.CharField(_("country"), max_length=2, default="DE")
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    vat_id = models.CharField(_("VAT ID"), max_length=14, blank=True)
    managing_directors = models.CharField(_("managing directors"), max_length=200, blank=True)
    commercial_register = models.CharField(_("commercial register"), max_length=200, blank=True)
    # Customer links (portal/sharing) offer the customer's statement of open items (issue 19).
    statement_on_customer_link = models.BooleanField(
        _("statement of open items on customer links"), default=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    # Public id for URLs (DESIGN.md §2 principle 6): members are addressed by UUID, never by pk.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_membership_per_user_and_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    def has_role(self, minimum: str) -> bool:
        return role_at_least(self.role, minimum)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def can_write(self) -> bool:
        return self.has_role(Role.MEMBER)


class Invitation(models.Model):
    """An e-mailed, expiring, single-use invitation. Only the token's SHA-256 is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organization}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ConnectionStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Checking…")
    OK = "ok", _("Connected")
    INVALID_KEY = "invalid_key", _("Invalid API key")
    FORBIDDEN = "forbidden", _("Missing permissions")
    UNREACHABLE = "unreachable", _("Lexware unreachable")
    REVOKED = "revoked", _("Key revoked")
    NEEDS_REENTRY = "needs_reentry", _("API key must be entered again")
    # The key belongs to a Lexware organization that another portal organization has connected.
    TAKEN = "taken", _("Connected elsewhere")


class LexwareConnection(models.Model):
    """An organization's Lexware API key (encrypted) and what verifying it told us."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="lexware_connection"
    )
    # MultiFernet token (portal.core.crypto); never the key itself.
    encrypted_api_key = models.TextField()
    key_last_four = models.CharField(max_length=4)
    # A stable, non-secret identity of the key: sha256(key)[:16]; names the rate-limit budget.
    key_fingerprint = models.CharField(max_length=16, db_index=True)
    status = models.CharField(
        max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.UNVERIFIED
    )
    status_detail = models.CharField(max_length=500, blank=True)
    company_name = models.CharField(max_length=200, blank=True)
    lexware_organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    lexware_connection_id = models.UUIDField(null=True, blank=True)
    profile = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Lexware keys last at most 24 months; Lexware does not tell their end through the API,
    # so the admin enters it and the portal warns ahead of it (issue 15 item 6).
    key_expires_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # Webhooks name a Lexware organization, not ours: it must lead to exactly one
            # portal organization, or events of one would refresh (or miss) another's mirror.
            models.UniqueConstraint(
                fields=["lexware_organization_id"],
                condition=models.Q(lexware_organization_id__isnull=False),
                name="one_portal_organization_per_lexware_organization",
            )
        ]

    def __str__(self) -> str:
        return f"Lexware connection of {self.organization} (…{self.key_last_four})"

    def __repr__(self) -> str:
        return f"<LexwareConnection org={self.organization_id} key=…{self.key_last_four} status={self.status}>"

    @property
    def is_usable(self) -> bool:
        return self.status == ConnectionStatus.OK

    def expiry_warning(self, today: date | None = None) -> str:
        """ "expired", "soon" (within KEY_EXPIRY_WARNING_DAYS) or "" for the key's end date."""
        if self.key_expires_on is None:
            return ""
        today = today or timezone.localdate()
        if self.key_expires_on < today:
            return "expired"
        if self.key_expires_on <= today + timedelta(days=KEY_EXPIRY_WARNING_DAYS):
            return "soon"
        return ""

    @property
    def days_to_expiry(self) -> int | None:
        if self.key_expires_on is None:
            return None
        return (self.key_expires_on - timezone.localdate()).days

    def set_status(self, status: str, detail: str = "") -> None:
        """The one way to record what Lexware said about the key (verify, 401, revoked, …)."""
        self.status = status
        self.status_detail = detail[:500]
        self.save(update_fields=["status", "status_detail"])
