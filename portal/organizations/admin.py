"""Raw data fixes for operators. Secrets never appear: no token hash, no encrypted API key."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from portal.organizations.models import Invitation, LexwareConnection, Membership, Organization


class MembershipInline(admin.TabularInline[Membership, Organization]):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ("name", "slug", "require_mfa_for_admins", "created_at")
    list_filter = ("require_mfa_for_admins",)
    search_fields = ("name", "slug")
    readonly_fields = ("code", "created_at")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name", "organization__slug")
    raw_id_fields = ("user", "organization")
    readonly_fields = ("code", "created_at")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = (
        "email",
        "organization",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("role",)
    search_fields = ("email", "organization__name")
    # token_hash is left out entirely: it is useless to look at and only helps an attacker.
    exclude = ("token_hash",)
    readonly_fields = ("code", "organization", "email", "invited_by", "created_at", "accepted_at")
    raw_id_fields = ("organization", "invited_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # An invitation without its e-mailed token is useless; invite from the members page.
        return False


@admin.register(LexwareConnection)
class LexwareConnectionAdmin(admin.ModelAdmin[LexwareConnection]):
    """Read-only except the status; the encrypted key is neither shown nor editable."""

    list_display = ("organization", "status", "key_last_four", "company_name", "verified_at")
    list_filter = ("status",)
    search_fields = ("organization__name", "organization__slug", "company_name")
    fields = (
        "organization",
        "status",
        "status_detail",
        "key_last_four",
        "key_fingerprint",
        "company_name",
        "lexware_organization_id",
        "verified_at",
        "created_at",
    )
    readonly_fields = tuple(name for name in fields if name != "status")
    exclude = ("encrypted_api_key", "profile")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Keys are entered by the organization on its connection page, encrypted there.
        return False
