"""Forms for organizations, members and invitations. They validate and normalise; services act."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.accounts.forms import single_line_name
from portal.organizations.models import Organization, Role

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$")
# Short names that would read like parts of the portal itself.
RESERVED_SLUGS = frozenset(
    {"admin", "new", "o", "api", "static", "media", "backoffice", "accounts", "www"}
)


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("The company name, e.g. Muster GmbH.")
    )
    slug = forms.CharField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Used in addresses: 3–60 lower-case letters, digits and hyphens."),
    )

    def clean_name(self) -> str:
        return single_line_name(self.cleaned_data["name"])

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"]).strip().lower()
        if not SLUG_PATTERN.match(slug):
            raise forms.ValidationError(
                _(
                    "Use 3–60 lower-case letters, digits and hyphens; start and end with a letter or digit."
                )
            )
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved."))
        if Organization.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("This short name is already taken."))
        return slug


def role_choices_for(actor_role: str) -> list[tuple[str, str]]:
    """Roles an actor may hand out: owners all, admins everything but owner."""
    choices = [(value, str(label)) for value, label in Role.choices]
    if actor_role != Role.OWNER:
        choices = [(value, label) for value, label in choices if value != Role.OWNER]
    return choices


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, actor_role: str = Role.VIEWER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices_for(actor_role)

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, actor_role: str = Role.VIEWER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = role_choices_for(actor_role)


class NewAccountForm(forms.Form):
    """Name and password for someone who accepts an invitation without an account yet."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_full_name(self) -> str:
        return single_line_name(self.cleaned_data["full_name"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            from portal.accounts.models import User

            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class MfaRequirementForm(forms.Form):
    """Owners switch the organization's MFA requirement for admins and owners on or off."""

    required = forms.ChoiceField(
        label=_("Two-factor authentication for admins and owners"),
        choices=[("on", _("Required")), ("off", _("Not required"))],
    )
