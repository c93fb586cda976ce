"""Forms for organizations, members and invitations. They validate and normalise; services act."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from portal.accounts.forms import single_line_name
from portal.organizations import tax_ids
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


class BankAccountForm(forms.Form):
    """The account customers pay into (organization settings): IBAN and BIC checked by schwifty
    (checksum, country length, known bank), both stored in their compact upper-case form."""

    bank_account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=70,
        help_text=_("As your bank knows it; shown to customers in their banking app."),
    )
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=20,
        required=False,
        help_text=_("Optional for transfers within the SEPA area; filled from the IBAN if known."),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)

    def clean_bank_account_holder(self) -> str:
        return single_line_name(self.cleaned_data["bank_account_holder"])

    def clean_bank_name(self) -> str:
        value = str(self.cleaned_data.get("bank_name") or "")
        return single_line_name(value) if value.strip() else ""

    def clean_iban(self) -> str:
        try:
            return str(IBAN(str(self.cleaned_data["iban"]), validate_bban=True).compact)
        except (SchwiftyException, ValueError):
            raise forms.ValidationError(
                _("This is not a valid IBAN (check digits, country and length).")
            ) from None

    def clean_bic(self) -> str:
        value = str(self.cleaned_data.get("bic") or "").strip()
        if not value:
            return ""
        try:
            return str(BIC(value).compact)
        except (SchwiftyException, ValueError):
            raise forms.ValidationError(
                _("This is not a valid BIC (8 or 11 characters).")
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        iban = cleaned.get("iban")
        if iban and not cleaned.get("bic") and "bic" not in self.errors:
            bic = IBAN(iban).bic
            cleaned["bic"] = str(bic.compact) if bic else ""
        if iban and not cleaned.get("bank_name") and "bank_name" not in self.errors:
            cleaned["bank_name"] = str(getattr(IBAN(iban), "bank_name", "") or "")[:100]
        return cleaned


def _optional_line(value: object) -> str:
    text = str(value or "")
    return single_line_name(text) if text.strip() else ""


class LetterheadForm(forms.Form):
    """The letterhead of draft previews and statements ("Briefkopf"): what Lexware's profile
    does not give (§5.19). Every field may stay empty; an address is street, postcode and city
    together. The VAT ID is stored compact (DE123456789), the tax number as written."""

    address_street = forms.CharField(label=_("Street and number"), max_length=100, required=False)
    address_zip = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    address_city = forms.CharField(label=_("City"), max_length=100, required=False)
    address_country = forms.ChoiceField(label=_("Country"), initial="DE")
    tax_number = forms.CharField(
        label=_("Tax number"),
        max_length=20,
        required=False,
        help_text=_("The number your tax office gave you, e.g. 12/345/67890."),
    )
    vat_id = forms.CharField(
        label=_("VAT ID"),
        max_length=20,
        required=False,
        help_text=_("Country prefix and number, e.g. DE123456789."),
    )
    managing_directors = forms.CharField(
        label=_("Managing directors"),
        max_length=200,
        required=False,
        help_text=_("A GmbH or AG names them on its business letters (§35a GmbHG, §80 AktG)."),
    )
    commercial_register = forms.CharField(
        label=_("Commercial register"),
        max_length=200,
        required=False,
        help_text=_("Register court and number, e.g. Amtsgericht München, HRB 123456."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = tax_ids.country_choices(get_language() or "de")
        cast(forms.ChoiceField, self.fields["address_country"]).choices = choices

    def clean_address_street(self) -> str:
        return _optional_line(self.cleaned_data.get("address_street"))

    def clean_address_city(self) -> str:
        return _optional_line(self.cleaned_data.get("address_city"))

    def clean_address_zip(self) -> str:
        return " ".join(str(self.cleaned_data.get("address_zip") or "").split()).upper()

    def clean_managing_directors(self) -> str:
        return _optional_line(self.cleaned_data.get("managing_directors"))

    def clean_commercial_register(self) -> str:
        return _optional_line(self.cleaned_data.get("commercial_register"))

    def clean_tax_number(self) -> str:
        value = " ".join(str(self.cleaned_data.get("tax_number") or "").split())
        if value and not tax_ids.tax_number_ok(value):
            raise forms.ValidationError(
                _("A tax number has 10 to 13 digits, written e.g. 12/345/67890.")
            )
        return value

    def clean_vat_id(self) -> str:
        value = tax_ids.compact_vat_id(str(self.cleaned_data.get("vat_id") or ""))
        if not value:
            return ""
        if value[:2] not in tax_ids.VAT_PATTERNS:
            raise forms.ValidationError(
                _("Start with the country prefix of an EU member state, e.g. DE.")
            )
        if not tax_ids.vat_id_ok(value):
            if value.startswith("DE"):
                raise forms.ValidationError(
                    _("A German VAT ID is DE and 9 digits with a valid check digit.")
                )
            raise forms.ValidationError(_("This is not a valid VAT ID for its country."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = ("address_street", "address_zip", "address_city")
        if any(cleaned.get(part) for part in parts):
            for part in parts:
                if part not in self.errors and not cleaned.get(part):
                    self.add_error(part, _("An address needs street, postcode and city."))
        postcode = cleaned.get("address_zip")
        if postcode and "address_zip" not in self.errors:
            if cleaned.get("address_country") == "DE" and not re.fullmatch(r"\d{5}", postcode):
                self.add_error("address_zip", _("A German postcode has 5 digits."))
            elif not re.fullmatch(r"[A-Z0-9][A-Z0-9 -]{1,9}", postcode):
                self.add_error("address_zip", _("Use letters, digits, spaces and hyphens only."))
        return cleaned
