"""The pieces of the contact form (lexware-api.md §5.5): validators that mirror Lexware's own
checks, and the repeating rows (contact persons, billing and shipping addresses)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

# §5.5: create and update accept at most one entry in each address list, e-mail and phone list
# and in company.contactPersons; more is a validation error (too_many_entries).
MOST_ENTRIES = 1
EMAIL_KINDS = ("business", "office", "private", "other")
PHONE_KINDS = ("business", "office", "mobile", "private", "fax", "other")

# Lexware's own checks (§5.5 and the simulator's validate_contact): e-mail shape, phone numbers
# of digits and + ( ) / - . and spaces up to 30 characters, two-letter country codes, German VAT
# ids DE + 9 digits and others two letters + 2–12 characters. Lengths Lexware does not
# document are the portal's own limits.
_LEXWARE_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
COUNTRY_CODE = RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, e.g. DE."))
PHONE = RegexValidator(
    r"^[0-9+()/\-. ]{1,30}$",
    _("Enter a phone number of digits, spaces and + ( ) / - . (at most 30 characters)."),
)
_VAT_ID = re.compile(r"^[A-Z]{2}[0-9A-Z+*.]{2,12}$")
_DE_VAT_ID = re.compile(r"^DE[0-9]{9}$")
# A Leitweg-ID (KoSIT): coarse address of 2–12 digits, optional fine address of up to 30
# letters and digits, two check digits, separated by hyphens ("04011000-1234512345-06").
_LEITWEG_ID = re.compile(r"^[0-9]{2,12}(-[0-9A-Za-z]{1,30})?-[0-9]{2}$")


def email(value: str) -> None:
    """Both Lexware's shape and Django's stricter check, one message."""
    try:
        EmailValidator()(value)
    except ValidationError:
        valid = False
    else:
        valid = bool(_LEXWARE_EMAIL.match(value))
    if not valid:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid")


def single_line(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError(
            _("Line breaks and control characters are not allowed."), code="control"
        )


def no_control(value: str) -> None:
    """Multi-line text: line breaks are fine, other control characters are not."""
    if _CONTROL_KEEP_LINES.search(value):
        raise ValidationError(_("Control characters are not allowed."), code="control")


def vat_id(value: str) -> None:
    valid = _DE_VAT_ID.match(value) if value.startswith("DE") else _VAT_ID.match(value)
    if not valid:
        raise ValidationError(
            _("Enter a VAT ID like DE123456789 (German: DE and nine digits)."), code="invalid"
        )


def leitweg_id(value: str) -> None:
    if not _LEITWEG_ID.match(value):
        raise ValidationError(_("Enter a Leitweg-ID like 04011000-1234512345-06."), code="invalid")


def text(label: Any, max_length: int, **kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    return forms.CharField(label=label, max_length=max_length, validators=[single_line], **kwargs)


def email_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=254, required=False, validators=[email])


def phone_field(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=30, required=False, validators=[PHONE])


class AddressRow(forms.Form):
    """One billing or shipping address (§5.5); the country code is required."""

    supplement = text(_("Address supplement"), 250)
    street = text(_("Street"), 250)
    zip = text(_("Postcode"), 20)
    city = text(_("City"), 100)
    country_code = forms.CharField(
        label=_("Country code"),
        max_length=2,
        min_length=2,
        initial="DE",
        validators=[COUNTRY_CODE],
        widget=forms.TextInput(attrs={"size": 2, "autocapitalize": "characters"}),
    )

    def clean_country_code(self) -> str:
        return str(self.cleaned_data.get("country_code") or "").upper()

    def to_lexware(self) -> dict[str, Any]:
        data = self.cleaned_data
        address = {
            "supplement": data.get("supplement"),
            "street": data.get("street"),
            "zip": data.get("zip"),
            "city": data.get("city"),
        }
        return {**{k: v for k, v in address.items() if v}, "countryCode": data["country_code"]}

    @staticmethod
    def from_lexware(address: dict[str, Any]) -> dict[str, Any]:
        return {
            "supplement": address.get("supplement") or "",
            "street": address.get("street") or "",
            "zip": address.get("zip") or "",
            "city": address.get("city") or "",
            "country_code": address.get("countryCode") or "",
        }


class ContactPersonRow(forms.Form):
    """One contact person of a company (§5.5): last name required, salutation ≤ 25."""

    salutation = text(_("Salutation"), 25)
    first_name = text(_("First name"), 250)
    last_name = text(_("Last name"), 250, required=True)
    email = email_field(_("E-mail address"))
    phone = phone_field(_("Phone"))
    primary = forms.BooleanField(label=_("Primary contact person"), required=False)

    def to_lexware(self) -> dict[str, Any]:
        data = self.cleaned_data
        person = {
            "salutation": data.get("salutation"),
            "firstName": data.get("first_name"),
            "lastName": data["last_name"],
            "emailAddress": data.get("email"),
            "phoneNumber": data.get("phone"),
        }
        return {
            **{k: v for k, v in person.items() if v},
            "primary": bool(data.get("primary")),
        }

    @staticmethod
    def from_lexware(person: dict[str, Any]) -> dict[str, Any]:
        return {
            "salutation": person.get("salutation") or "",
            "first_name": person.get("firstName") or "",
            "last_name": person.get("lastName") or "",
            "email": person.get("emailAddress") or "",
            "phone": person.get("phoneNumber") or "",
            "primary": "on" if person.get("primary") else "",
        }


def lists_with_several_entries(record: dict[str, Any]) -> list[str]:
    """The lists of a Lexware contact holding more than Lexware lets the API write (§5.5:
    such a contact, edited in the web app, can be read but any PUT is rejected)."""
    company = record.get("company") or {}
    addresses = record.get("addresses") or {}
    lists = {
        "addresses.billing": addresses.get("billing"),
        "addresses.shipping": addresses.get("shipping"),
        "company.contactPersons": company.get("contactPersons"),
        **{f"emailAddresses.{k}": (record.get("emailAddresses") or {}).get(k) for k in EMAIL_KINDS},
        **{f"phoneNumbers.{k}": (record.get("phoneNumbers") or {}).get(k) for k in PHONE_KINDS},
    }
    return [
        path
        for path, value in lists.items()
        if isinstance(value, list) and len(value) > MOST_ENTRIES
    ]
